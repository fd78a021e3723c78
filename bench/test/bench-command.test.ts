import type { Token } from '@baton/shared';
import { describe, expect, it } from 'vitest';
import { parseBenchWork, replyText } from '../src/bench-command.ts';

const w = (text: string): Token => ({ kind: 'word', text });

describe('parseBenchWork', () => {
  it('reads /work <tag> <ms>', () => {
    expect(parseBenchWork('work', [w('3-17'), w('200')])).toEqual({ tag: '3-17', ms: 200 });
    expect(parseBenchWork('WORK', [w('0-1'), w('0')])).toEqual({ tag: '0-1', ms: 0 });
    expect(replyText('3-17')).toBe('done 3-17');
  });

  it('rejects other commands and malformed arguments', () => {
    expect(parseBenchWork('ping', [w('1-1'), w('5')])).toBeUndefined();
    expect(parseBenchWork('work', [w('1-1')])).toBeUndefined();
    expect(parseBenchWork('work', [w('1-1'), w('5'), w('x')])).toBeUndefined();
    expect(parseBenchWork('work', [w('1-1'), w('-5')])).toBeUndefined();
    expect(parseBenchWork('work', [w('1-1'), w('2.5')])).toBeUndefined();
    expect(parseBenchWork('work', [{ kind: 'quoted', text: '1-1' }, w('5')])).toBeUndefined();
  });
});
