import { createHash } from 'node:crypto';

/**
 * Deterministic Symphony-shaped ids for the test kit: 25 bytes as URL-safe base64 without padding (34 chars),
 * like real stream and message ids.
 */
export function testId(seed: string): string {
  return createHash('sha256').update(seed).digest().subarray(0, 25).toString('base64url');
}
