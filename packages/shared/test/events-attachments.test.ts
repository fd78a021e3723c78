import { MAX_ATTACHMENTS, parseEvent, rawMessageSent } from '@baton/shared';
import { describe, expect, it } from 'vitest';
import { SAMPLE_IM_EVENT } from './support/sample-im-event.ts';

// The attachment rules of docs/event-model.md ("Attachments"): V4AttachmentInfo {id, name, size, images}.

function withAttachments(attachments: unknown) {
  return rawMessageSent({
    ...SAMPLE_IM_EVENT,
    message: { message: '<div data-format="PresentationML" data-version="2.0"> </div>', attachments },
  });
}

const file = (over: Record<string, unknown> = {}) => ({
  id: 'internal_14362370637825%2FxeHhVyX0Pq1A3Rp2x2rWrA%3D%3D',
  name: 'rates.csv',
  size: 1234,
  images: [],
  ...over,
});

function parsed(raw: unknown) {
  const result = parseEvent(raw);
  if (!result.ok) throw new Error(result.reason);
  if (result.event.type !== 'MESSAGESENT') throw new Error('expected MESSAGESENT');
  return result.event.payload.messageSent.message;
}

function reason(raw: unknown): string {
  const result = parseEvent(raw);
  if (result.ok) throw new Error('expected the event to be refused');
  return result.reason;
}

describe('attachments of a V4Message', () => {
  it('accepts the documented shape, images with their thumbnails, extra fields kept, null/absent images', () => {
    const message = parsed(
      withAttachments([
        file({ images: [{ id: 'thumb1', dimension: '600' }], extra: 'kept' }),
        file({ id: 'b', name: 'notes.txt', size: 0, images: null }),
        file({ id: 'c', images: undefined }),
      ]),
    );
    expect(message.attachments).toEqual([
      { ...file({ images: [{ id: 'thumb1', dimension: '600' }] }), extra: 'kept' },
      { id: 'b', name: 'notes.txt', size: 0 },
      { id: 'c', name: 'rates.csv', size: 1234 },
    ]);
  });

  it('reads absent or null attachments as none', () => {
    expect(parsed(withAttachments(undefined)).attachments).toBeUndefined();
    expect(parsed(withAttachments(null)).attachments).toBeUndefined();
  });

  it.each([
    ['no id', file({ id: undefined }), 'attachments[0].id'],
    ['an empty id', file({ id: '' }), 'attachments[0].id'],
    ['a huge id', file({ id: 'x'.repeat(1025) }), 'attachments[0].id'],
    ['no name', file({ name: undefined }), 'attachments[0].name'],
    ['a name with a CR/LF', file({ name: 'a.txt\r\nX-Injected: 1' }), 'control character'],
    ['a name with NUL', file({ name: 'a\u0000.txt' }), 'control character'],
    ['a huge name', file({ name: `${'n'.repeat(1025)}.txt` }), 'attachments[0].name'],
    ['no size', file({ size: undefined }), 'attachments[0].size'],
    ['a negative size', file({ size: -1 }), 'attachments[0].size'],
    ['a fractional size', file({ size: 1.5 }), 'attachments[0].size'],
    ['a size as a string', file({ size: '12' }), 'attachments[0].size'],
    [
      'too many thumbnails',
      file({ images: Array.from({ length: 21 }, (_, i) => ({ id: `t${i}` })) }),
      'images',
    ],
    ['a thumbnail without id', file({ images: [{ dimension: '600' }] }), 'images[0].id'],
  ])('refuses an attachment with %s', (_what, attachment, expected) => {
    expect(reason(withAttachments([attachment]))).toContain(expected);
  });

  it(`refuses more than ${MAX_ATTACHMENTS} attachments, accepts exactly ${MAX_ATTACHMENTS}`, () => {
    const many = (n: number) => Array.from({ length: n }, (_, i) => file({ id: `a${i}` }));
    expect(parsed(withAttachments(many(MAX_ATTACHMENTS))).attachments).toHaveLength(MAX_ATTACHMENTS);
    expect(reason(withAttachments(many(MAX_ATTACHMENTS + 1)))).toContain(
      `more than ${MAX_ATTACHMENTS} attachments`,
    );
  });

  it('refuses attachments that are not a list', () => {
    expect(reason(withAttachments({ id: 'a', name: 'a.txt', size: 1 }))).toContain('attachments');
  });
});
