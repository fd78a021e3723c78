import { describe, expect, it } from 'vitest';
import { auditReplies, type ObservedReply, type SentEvent } from '../support/reply-audit.ts';

const ev = (stream: string, seq: number, sentAt = seq): SentEvent => ({
  stream,
  seq,
  text: `${stream}:${seq}`,
  sentAt,
});
const reply = (stream: string, seq: number, text = `${stream}:${seq}`): ObservedReply => ({
  stream,
  text,
  timestamp: 0,
});

describe('the drill reply audit', () => {
  const sent = [ev('a', 0), ev('a', 1), ev('a', 2), ev('b', 0), ev('b', 1)];

  it('passes a clean run: every event once, in order per stream (streams interleaved freely)', () => {
    const r = auditReplies(sent, [reply('b', 0), reply('a', 0), reply('a', 1), reply('b', 1), reply('a', 2)]);
    expect(r).toMatchObject({
      events: 5,
      answered: 5,
      lost: [],
      duplicated: 0,
      reordered: 0,
      unexpected: [],
    });
  });

  it('counts a lost event, a duplicate, a reordering and an unexpected reply', () => {
    const r = auditReplies(sent, [
      reply('a', 1),
      reply('a', 0),
      reply('a', 1),
      reply('b', 0),
      reply('b', 0, 'You are sending commands too fast; please wait a moment.'),
    ]);
    expect(r.lost.map((e) => e.text)).toEqual(['a:2', 'b:1']);
    expect(r.duplicated).toBe(1);
    expect(r.reordered).toBe(1);
    expect(r.unexpected).toHaveLength(1);
    expect(r.answered).toBe(3);
  });

  it('reports events lost inside a loss window apart from unexplained losses', () => {
    const r = auditReplies(sent, [reply('a', 0), reply('b', 0)], [{ from: 1, to: 1, reason: 'feed expiry' }]);
    expect(r.lostInWindow.map((e) => e.text)).toEqual(['a:1', 'b:1']);
    expect(r.lost.map((e) => e.text)).toEqual(['a:2']);
  });
});
