import { ConfigError } from '@baton/bot';
import { createSilentLogger, createTestBot } from '@baton/bot/testkit';
import { describe, expect, it } from 'vitest';
import buildBot from '../src/bot.ts';

const logger = createSilentLogger();

// The test kit runs the bot in memory (no Redis, no pod): send messages as users, read the replies.
const testBot = async (env: Record<string, string> = {}) => createTestBot(await buildBot({ env, logger }));

describe('/hello', () => {
  it('greets the user by name, or the name given', async () => {
    const t = await testBot();
    const [reply] = await t.send('@bot /hello');
    expect(reply?.text).toBe(`Hello, ${t.users.alice.displayName}!`);
    expect((await t.send('@bot /hello Ada'))[0]?.text).toBe('Hello, Ada!');
  });

  it('uses the configured GREETING', async () => {
    const t = await testBot({ GREETING: 'Howdy' });
    expect((await t.send('@bot /hello Ada'))[0]?.text).toBe('Howdy, Ada!');
  });

  it('shows what the user typed as text, never as markup', async () => {
    const t = await testBot();
    const [reply] = await t.send('@bot /hello <b>x</b>');
    expect(reply?.text).toContain('<b>x</b>');
    expect(reply?.message).toContain('&lt;b&gt;');
    expect(reply?.message).not.toContain('<b>x</b>');
  });
});

describe('welcome', () => {
  it('welcomes someone who joins the room', async () => {
    const t = await testBot();
    const [reply] = await t.userJoins(t.users.bob);
    expect(reply?.text).toContain('Welcome');
    expect(reply?.message).toContain(`<mention uid="${t.users.bob.userId}"/>`);
    expect(reply?.streamId).toBe(t.general.streamId);
  });
});

describe('configuration', () => {
  it('refuses an invalid variable, naming it', async () => {
    const start = () => testBot({ GREETING: 'x'.repeat(101) });
    await expect(start()).rejects.toThrow(ConfigError);
    await expect(start()).rejects.toThrow(/GREETING: must be at most 100 characters/);
  });
});
