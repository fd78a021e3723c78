import { describe, expect, it } from 'vitest';
import { createReplyTracker } from '../src/harness/reply-tracker.ts';

describe('createReplyTracker', () => {
  it('matches replies to injections and measures latency', () => {
    const t = createReplyTracker();
    expect(t.injected(0, 1, 1_000)).toBe('0-1');
    t.injected(0, 2, 1_010);
    t.injected(1, 1, 1_020);
    t.replySeen('done 0-1', 1_100);
    t.replySeen('done 1-1', 1_300);
    const r = t.report();
    expect(r).toMatchObject({ injected: 3, answered: 2, lost: 1, duplicates: 0, orderViolations: 0 });
    expect(r.latenciesMs.sort((a, b) => a - b)).toEqual([100, 280]);
    expect(t.allAnswered()).toBe(false);
    t.replySeen('done 0-2', 1_400);
    expect(t.allAnswered()).toBe(true);
    expect(t.lastAnswerAt()).toBe(1_400);
    expect(t.answerTimes()).toEqual([1_100, 1_300, 1_400]);
  });

  it('counts a second reply to the same tag as a duplicate, not as an answer', () => {
    const t = createReplyTracker();
    t.injected(3, 1, 0);
    t.replySeen('done 3-1', 10);
    t.replySeen('done 3-1', 20);
    const r = t.report();
    expect(r.duplicates).toBe(1);
    expect(r.answered).toBe(1);
    expect(r.latenciesMs).toEqual([10]);
  });

  it('counts a reply older than one already answered in its stream as an order violation', () => {
    const t = createReplyTracker();
    for (let seq = 1; seq <= 3; seq++) t.injected(0, seq, 0);
    t.injected(1, 1, 0);
    t.replySeen('done 0-2', 1);
    t.replySeen('done 1-1', 2); // another stream: no effect on stream 0
    t.replySeen('done 0-1', 3); // after 0-2: violation
    t.replySeen('done 0-3', 4);
    expect(t.report().orderViolations).toBe(1);
  });

  it('filters by stream and counts replies with unknown tags', () => {
    const t = createReplyTracker();
    t.injected(0, 1, 0);
    t.injected(9, 1, 0);
    t.replySeen('done 9-1', 5);
    t.replySeen('done 9-1', 6);
    t.replySeen('hello', 7);
    t.replySeen('done 4-4', 8);
    const normal = t.report((s) => s !== 9);
    expect(normal).toMatchObject({ injected: 1, answered: 0, lost: 1, duplicates: 0, unknownReplies: 2 });
    expect(t.report((s) => s === 9)).toMatchObject({ injected: 1, answered: 1, duplicates: 1 });
  });
});
