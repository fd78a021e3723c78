import { createSilentLogger, createTestBot } from '@baton/bot/testkit';
import { ConfigError, parseEnv } from '@baton/shared';
import { describe, expect, it } from 'vitest';
import referenceBotModule, {
  createReferenceBot,
  fakeMarketDataEnvSchema,
  loadFakeMarketDataConfig,
  REFERENCE_BOT_ID,
  referenceBotConfigFrom,
  referenceBotEnvSchema,
} from '../src/index.ts';

const parse = (env: Record<string, string>) => parseEnv(referenceBotEnvSchema, env, { service: 'test' });
const base = { MARKET_DATA_URL: 'http://127.0.0.1:9', REQUIRE_MENTION_IN_IM: false };

describe('reference bot configuration', () => {
  it('parses the id lists and the rate limit, with defaults', () => {
    const defaults = { MARKET_DATA_URL: 'http://127.0.0.1:8090', REQUIRE_MENTION_IN_IM: false };
    expect(parse({})).toEqual({ ...defaults, BOT_COMMANDS_PER_MINUTE: 30 });
    expect(
      parse({
        BOT_ALLOWED_USERS: ' 2001, 2002 ,',
        BOT_ALLOWED_STREAMS: 'abc_-1,def',
        BOT_ROOM_CREATORS: '2003',
        BOT_COMMANDS_PER_MINUTE: '0',
      }),
    ).toEqual({
      ...defaults,
      BOT_ALLOWED_USERS: [2001, 2002],
      BOT_ALLOWED_STREAMS: ['abc_-1', 'def'],
      BOT_ROOM_CREATORS: [2003],
      BOT_COMMANDS_PER_MINUTE: 0,
    });
  });

  it('rejects what is not a list of user ids or a count', () => {
    expect(() => parse({ BOT_ALLOWED_USERS: 'alice,2002' })).toThrow(ConfigError);
    expect(() => parse({ BOT_COMMANDS_PER_MINUTE: '-1' })).toThrow(ConfigError);
    expect(() => loadFakeMarketDataConfig({ MARKET_DATA_PORT: '70000' })).toThrow(ConfigError);
  });

  it('is a bot module: its default export reads its own variables, and names the bad one', async () => {
    const logger = createSilentLogger();
    const made = await referenceBotModule({
      env: { BOT_ALLOWED_USERS: '2001', MARKET_DATA_URL: 'http://quotes.internal:9000' },
      logger,
    });
    expect(made.identity()).toMatchObject({ name: REFERENCE_BOT_ID });
    expect(made.identity().commands).toEqual(expect.arrayContaining(['/echo {text:text}']));
    const t = createTestBot(made);
    expect((await t.send('@bot /echo hi', { from: t.users.carol }))[0]?.text).toBe(
      'Sorry, you are not allowed to do that here.',
    );
    expect(() => referenceBotModule({ env: { REQUIRE_MENTION_IN_IM: 'perhaps' }, logger })).toThrow(
      /REQUIRE_MENTION_IN_IM/,
    );
  });

  it('documents every variable', () => {
    for (const schema of [referenceBotEnvSchema, fakeMarketDataEnvSchema]) {
      for (const [name, field] of Object.entries(schema.shape)) expect(field.description, name).toBeTruthy();
    }
  });

  it('limits commands to the configured users and streams', async () => {
    const config = referenceBotConfigFrom({
      ...base,
      ...parse({ BOT_ALLOWED_USERS: '2001,2002', BOT_ROOM_CREATORS: '2001', BOT_COMMANDS_PER_MINUTE: '0' }),
    });
    const t = createTestBot(createReferenceBot(config));
    expect((await t.send('@bot /echo hi', { from: t.users.bob }))[0]?.text).toBe('hi');
    expect((await t.send('@bot /echo hi', { from: t.users.carol }))[0]?.text).toBe(
      'Sorry, you are not allowed to do that here.',
    );
    expect((await t.send('@bot /room create x', { from: t.users.bob }))[0]?.text).toBe(
      'Sorry, /room create is not available to you here.',
    );

    const desk = createTestBot(createReferenceBot({ marketDataUrl: base.MARKET_DATA_URL }));
    const inDesk = createTestBot(
      createReferenceBot(
        referenceBotConfigFrom({ ...base, ...parse({ BOT_ALLOWED_STREAMS: desk.room('desk').streamId }) }),
      ),
    );
    expect((await inDesk.send('@bot /echo a', { stream: inDesk.room('desk') }))[0]?.text).toBe('a');
    expect((await inDesk.send('@bot /echo b'))[0]?.text).toBe('Sorry, you are not allowed to do that here.');
  });

  it('the fake market data reads its port and host', () => {
    expect(loadFakeMarketDataConfig({})).toEqual({ MARKET_DATA_PORT: 8090, MARKET_DATA_HOST: '127.0.0.1' });
    expect(loadFakeMarketDataConfig({ MARKET_DATA_PORT: '0', MARKET_DATA_HOST: '0.0.0.0' })).toEqual({
      MARKET_DATA_PORT: 0,
      MARKET_DATA_HOST: '0.0.0.0',
    });
  });
});
