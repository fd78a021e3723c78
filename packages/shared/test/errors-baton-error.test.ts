import { describe, expect, it } from 'vitest';
import { BatonError } from '../src/errors/index.ts';
import * as shared from '../src/index.ts';

class ExampleError extends BatonError {
  constructor(cause?: unknown) {
    super('EXAMPLE_THING', 'an example went wrong', cause === undefined ? undefined : { cause });
  }
}

describe('BatonError', () => {
  it('carries the code, the message, the subclass name and the cause', () => {
    const cause = new Error('underneath');
    const error = new ExampleError(cause);
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(BatonError);
    expect(error).toMatchObject({
      code: 'EXAMPLE_THING',
      message: 'an example went wrong',
      name: 'ExampleError',
    });
    expect(error.cause).toBe(cause);
    expect(String(error)).toBe('ExampleError: an example went wrong');
    expect(Object.hasOwn(new ExampleError(), 'cause')).toBe(false);
  });

  it('is exported from the barrel as the same class', () => {
    expect(shared.BatonError).toBe(BatonError);
  });

  it('is what the shared errors are: ConfigError, CorruptEntryError, the MessageML ones', () => {
    const config = new shared.ConfigError('bad FOO', [{ variable: 'FOO', problem: 'missing' }], {
      cause: 'why',
    });
    expect(config).toBeInstanceOf(BatonError);
    expect(config).toMatchObject({ code: 'CONFIG_INVALID', name: 'ConfigError', cause: 'why' });
    expect(config.problems).toEqual([{ variable: 'FOO', problem: 'missing' }]);
    const corrupt = new shared.CorruptEntryError('s1', '{', 4, 'not JSON');
    expect(corrupt).toMatchObject({
      code: 'CORRUPT_ENTRY',
      name: 'CorruptEntryError',
      streamId: 's1',
      seq: 4,
    });
    expect(new shared.InvalidMarkupError('too-deep', 'deep')).toMatchObject({
      code: 'INVALID_MARKUP',
      name: 'InvalidMarkupError',
      reason: 'too-deep',
    });
    expect(new shared.InvalidMessageMlInputError('bad link')).toMatchObject({
      code: 'INVALID_MESSAGEML_INPUT',
      name: 'InvalidMessageMlInputError',
    });
  });
});
