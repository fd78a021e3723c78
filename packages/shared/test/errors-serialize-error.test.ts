import { describe, expect, it } from 'vitest';
import { BatonError, serializeError } from '../src/errors/index.ts';

class ExampleError extends BatonError {
  constructor(readonly secret: string) {
    super('EXAMPLE_THING', 'it broke');
  }
}

describe('serializeError', () => {
  it("keeps name, message, a BatonError's code and the stack, and nothing else of the error", () => {
    const out = serializeError(new ExampleError('event text'));
    expect(out).toEqual({
      name: 'ExampleError',
      message: 'it broke',
      code: 'EXAMPLE_THING',
      stack: expect.stringContaining('ExampleError: it broke'),
    });
    expect(JSON.stringify(out)).not.toContain('event text');
  });

  it("keeps a system error's string code, drops a numeric one, and wraps non-errors", () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    expect(serializeError(refused)).toMatchObject({ name: 'Error', code: 'ECONNREFUSED' });
    expect(serializeError(Object.assign(new Error('x'), { code: 403 }))).not.toHaveProperty('code');
    expect(serializeError('just a string')).toEqual({ name: 'NonError', message: 'just a string' });
    expect(serializeError(undefined)).toEqual({ name: 'NonError', message: 'undefined' });
  });
});
