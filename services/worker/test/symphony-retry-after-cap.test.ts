import { createSimulator, type Simulator } from '@baton/pod-simulator';
import {
  createLogger,
  createSymphonyClient,
  RateLimitedError,
  type SymphonyClientConfig,
} from '@baton/shared';
import { captureLogLines } from '@baton/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The Symphony client against the pod simulator's fault injector: a 429 asking for an hour's wait.

let sim: Simulator;
let config: SymphonyClientConfig;

beforeAll(async () => {
  sim = await createSimulator({ port: 0 });
  const keys = sim.control.generateKeyPair();
  sim.control.createUser({ username: 'cap-bot', bot: true, publicKeyPem: keys.publicKeyPem });
  config = { podUrl: sim.url, botUsername: 'cap-bot', privateKeyPem: keys.privateKeyPem };
});

afterAll(async () => {
  await sim?.close();
});

function capture() {
  const { lines, destination } = captureLogLines();
  return { lines, logger: createLogger({ level: 'warn', destination }) };
}

/** One 429 with `Retry-After: 3600` on the next session-info call. */
function hourLong429(): void {
  sim.control.setFaults({
    rules: [
      { path: '/pod/v2/sessioninfo', methods: ['GET'], error429: 1, retryAfterSeconds: 3600, times: 1 },
    ],
  });
}

describe('Retry-After cap', () => {
  it('waits the cap, not the hour the pod asks for, logs it, and the retry succeeds', async () => {
    const { lines, logger } = capture();
    const client = createSymphonyClient(
      { ...config, retry: { maxAttempts: 2, maxRetryAfterMs: 200, initialDelayMs: 10, jitter: 'none' } },
      { logger },
    );
    try {
      await client.getSessionInfo(); // logged in before the fault is armed
      hourLong429();
      // Without the cap this call would sleep an hour (and the test time out).
      const info = await client.getSessionInfo();
      expect(info.username ?? info.displayName).toBeDefined();
    } finally {
      sim.control.clearFaults();
      await client.close?.();
    }
    const capped = lines.find((l) => String(l.msg).startsWith('Retry-After above the cap'));
    expect(capped).toMatchObject({
      path: '/pod/v2/sessioninfo',
      retryAfterMs: 3_600_000,
      cappedAtMs: 200,
      component: 'symphony-client',
    });
    const retry = lines.find((l) => l.msg === 'symphony call failed, retrying');
    expect(retry).toMatchObject({ status: 429, attempt: 1, delayMs: 200 });
  });

  it('a 429 that is not retried reaches the caller with the capped wait (the original as its cause)', async () => {
    const { logger } = capture();
    const client = createSymphonyClient(
      { ...config, retry: { maxAttempts: 1, maxRetryAfterMs: 250 } },
      { logger },
    );
    try {
      await client.getSessionInfo();
      hourLong429();
      const error = await client.getSessionInfo().then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(error).toBeInstanceOf(RateLimitedError);
      expect((error as RateLimitedError).retryAfterMs).toBe(250);
      expect(((error as RateLimitedError).cause as RateLimitedError).retryAfterMs).toBe(3_600_000);
    } finally {
      sim.control.clearFaults();
      await client.close?.();
    }
  });
});
