import { createHash } from 'node:crypto';

const STREAM_ID = /^[A-Za-z0-9_-]{33}[AQgw]$/;

/**
 * A Symphony stream id for a test's label (`S1`, `slowA`…): 25 bytes of the label's sha256 as URL-safe base64
 * (34 characters), the only form the event model accepts besides the padded standard one
 * (docs/event-model.md). The same label always gives the same id; a label that already is a URL-safe stream id
 * is returned as is.
 */
export function testStreamId(label: string): string {
  if (STREAM_ID.test(label)) return label;
  return createHash('sha256').update(label).digest().subarray(0, 25).toString('base64url');
}
