import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger } from '@baton/shared';
import { NodeProcess, recordLoadedModules, waitFor } from '@baton/testing';
import { describe, expect, it } from 'vitest';
import {
  allowOnly,
  createBot,
  DuplicateRegistrationError,
  logDispatch,
  MAX_MESSAGE_BYTES,
  MessageTooLargeError,
  rateLimitPerUser,
} from '../src/index.ts';
import { createTestBot } from '../src/testkit/index.ts';

function echoBot(options?: Parameters<typeof createBot>[0]) {
  return createBot(options).command('/echo {text:text}', {
    description: 'Repeat',
    examples: ['/echo hi'],
    handler: async (ctx) => {
      await ctx.reply(ctx.args.text);
    },
  });
}

describe('commands: addressing', () => {
  it('needs a mention in rooms, not in IMs; ignores its own messages', async () => {
    const t = createTestBot(echoBot());
    expect(await t.send('/echo hi')).toEqual([]);
    expect((await t.send('@bot /echo hi')).map((r) => r.text)).toEqual(['hi']);
    const im = t.im(t.users.alice);
    expect((await t.send('/echo in im', { stream: im })).map((r) => r.text)).toEqual(['in im']);
    expect(await t.send('@bot /echo me', { from: t.botUser })).toEqual([]);
  });

  it('requireMentionInIm makes IMs behave like rooms', async () => {
    const t = createTestBot(echoBot({ requireMentionInIm: true }));
    const im = t.im(t.users.bob);
    expect(await t.send('/echo x', { stream: im, from: t.users.bob })).toEqual([]);
    expect((await t.send('@bot /echo x', { stream: im, from: t.users.bob })).map((r) => r.text)).toEqual([
      'x',
    ]);
  });

  it('escapes plain text replies', async () => {
    const t = createTestBot(echoBot());
    const [reply] = await t.send('@bot /echo <b>bold</b> & "quoted"');
    expect(reply?.message).toBe('<messageML>&lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot;</messageML>');
    expect(reply?.text).toBe('<b>bold</b> & "quoted"');
  });

  it('answers an addressed message that is no command with a hint', async () => {
    const t = createTestBot(echoBot());
    const [reply] = await t.send('@bot hello there');
    expect(reply?.text).toContain('/help');
    expect(await t.send('just chatting')).toEqual([]);
  });
});

describe('commands: arguments', () => {
  const calls: unknown[] = [];
  /** A handler that records the command (`cmd`) with the arguments it parsed. */
  const record =
    (cmd: string) =>
    (ctx: { args: object }): void => {
      calls.push({ cmd, ...ctx.args });
    };
  const bot = createBot()
    .command('/room create {name:string} [members:mention...]', {
      description: 'Create',
      examples: ['/room create "Q3 desk" @alice'],
      handler: record('create'),
    })
    .command('/room {topic:string}', { description: 'Room topic', handler: record('room') })
    .command('/add {a:int} [b:number=2.5] [note]', {
      description: 'Add',
      examples: ['/add 1 2'],
      handler: record('add'),
    })
    .command('/tag {#tag} {$ticker}', { description: 'Tags', handler: record('tag') });
  const t = createTestBot(bot);
  const last = () => calls.at(-1);

  it('picks the longest literal prefix and parses quoted text and mentions', async () => {
    await t.send('@bot /room create "Q3 desk" @bob @carol');
    expect(last()).toEqual({
      cmd: 'create',
      name: 'Q3 desk',
      members: [
        { userId: t.users.bob.userId, text: '@Bob Chen' },
        { userId: t.users.carol.userId, text: '@Carol Diaz' },
      ],
    });
    await t.send('@bot /ROOM CREATE solo');
    expect(last()).toEqual({ cmd: 'create', name: 'solo', members: [] });
    await t.send('@bot /room lunch');
    expect(last()).toEqual({ cmd: 'room', topic: 'lunch' });
  });

  it('coerces numbers, applies defaults, leaves absent optionals out', async () => {
    await t.send('@bot /add 3');
    expect(last()).toEqual({ cmd: 'add', a: 3, b: 2.5 });
    await t.send('@bot /add 3 4.5 hello');
    expect(last()).toEqual({ cmd: 'add', a: 3, b: 4.5, note: 'hello' });
  });

  it('reads hashtag and cashtag entities, and bare words for them', async () => {
    await t.send('@bot /tag #rates $AAPL');
    expect(last()).toEqual({ cmd: 'tag', tag: 'rates', ticker: 'AAPL' });
    await t.send('@bot /tag fx MSFT');
    expect(last()).toEqual({ cmd: 'tag', tag: 'fx', ticker: 'MSFT' });
  });

  it('replies with the usage and examples on a bad argument, never silently', async () => {
    const before = calls.length;
    const [missing] = await t.send('@bot /room create');
    expect(missing?.text).toBe(
      'Missing name. Usage: /room create <name> [@members…]\nExamples: /room create "Q3 desk" @alice',
    );
    const [invalid] = await t.send('@bot /add three');
    expect(invalid?.text).toContain('three is not a whole number (for a)');
    expect(invalid?.text).toContain('Usage: /add <a:int>');
    const [notMention] = await t.send('@bot /room create x bob');
    expect(notMention?.text).toContain('bob is not an @mention');
    const [extra] = await t.send('@bot /tag #a $B extra');
    expect(extra?.text).toContain('Unexpected extra');
    expect(calls.length).toBe(before);
  });

  it('suggests close commands for an unknown one', async () => {
    const [reply] = await t.send('@bot /ad 1');
    expect(reply?.text).toBe("I don't know /ad. Did you mean /add? Try /help to see what Baton Bot can do.");
    const [far] = await t.send('@bot /zzzzzz');
    expect(far?.text).toBe("I don't know /zzzzzz. Try /help to see what Baton Bot can do.");
  });
});

describe('/help', () => {
  it('is generated from the registry, with per-command details', async () => {
    const t = createTestBot(
      echoBot().command('/secret', { description: 'x', hidden: true, handler: () => {} }),
    );
    const [all] = await t.send('@bot /help');
    expect(all?.text).toContain('/echo <text>: Repeat');
    expect(all?.text).toContain('/help [topic]');
    expect(all?.text).not.toContain('/secret');
    const [one] = await t.send('@bot /help echo');
    expect(one?.text).toContain('Examples: /echo hi');
    expect(one?.text).not.toContain('/help [topic]');
  });

  it('can be overridden, and duplicate commands are refused', async () => {
    const bot = echoBot().command('/help', {
      description: 'mine',
      handler: async (ctx) => {
        await ctx.reply('custom help');
      },
    });
    expect((await createTestBot(bot).send('@bot /help')).map((r) => r.text)).toEqual(['custom help']);
    expect(() => bot.command('/echo {x}', { description: 'again', handler: () => {} })).toThrow(
      DuplicateRegistrationError,
    );
  });
});

describe('listeners, forms, middleware', () => {
  it('runs listeners for any event type and form handlers by form id', async () => {
    const seen: string[] = [];
    const bot = createBot()
      .on('USERJOINEDROOM', (ctx) => {
        seen.push(`joined:${ctx.event.payload.userJoinedRoom.affectedUser.userId}`);
      })
      .form('order', async (ctx) => {
        seen.push(`form:${ctx.action}:${String(ctx.values['qty'])}`);
        await ctx.reply(`ordered ${String(ctx.values['qty'])}`);
      });
    const t = createTestBot(bot);
    await t.userJoins(t.users.bob);
    const replies = await t.submitForm('order', { action: 'buy', qty: '5' });
    await t.submitForm('other', { action: 'x' });
    expect(seen).toEqual([`joined:${t.users.bob.userId}`, 'form:buy:5']);
    expect(replies.map((r) => r.text)).toEqual(['ordered 5']);
  });

  it('runs middleware in order around the handler; a middleware can stop the dispatch', async () => {
    const order: string[] = [];
    const bot = echoBot()
      .use(async (ctx, next) => {
        order.push(`a:${ctx.kind}:${ctx.command ?? ''}`);
        await next();
        order.push('a:after');
      })
      .use(async (ctx, next) => {
        if (ctx.user?.userId === 2002) {
          order.push('b:blocked');
          return;
        }
        order.push('b');
        await next();
      });
    const t = createTestBot(bot);
    await t.send('@bot /echo hi');
    expect(order).toEqual(['a:command:/echo', 'b', 'a:after']);
    order.length = 0;
    expect(await t.send('@bot /echo hi', { from: t.users.bob })).toEqual([]);
    expect(order).toEqual(['a:command:/echo', 'b:blocked', 'a:after']);
  });

  it('allowOnly and the per-command allow list refuse politely', async () => {
    const alice = 2001;
    const bot = echoBot()
      .use(allowOnly({ users: [alice], commands: ['/echo'] }))
      .command('/admin', {
        description: 'admin',
        allow: { users: [2003] },
        handler: (ctx) => ctx.reply('ok').then(() => {}),
      });
    const t = createTestBot(bot);
    expect((await t.send('@bot /echo yes')).map((r) => r.text)).toEqual(['yes']);
    expect((await t.send('@bot /echo no', { from: t.users.bob })).map((r) => r.text)).toEqual([
      'Sorry, you are not allowed to do that here.',
    ]);
    expect((await t.send('@bot /admin', { from: t.users.carol })).map((r) => r.text)).toEqual(['ok']);
    expect((await t.send('@bot /admin')).map((r) => r.text)).toEqual([
      'Sorry, /admin is not available to you here.',
    ]);
  });

  it('rateLimitPerUser drops commands over the limit and says so once', async () => {
    const t = createTestBot(echoBot().use(rateLimitPerUser({ limit: 2, windowSec: 3600 })));
    const texts: string[] = [];
    for (let i = 0; i < 5; i++) texts.push(...(await t.send(`@bot /echo ${i}`)).map((r) => r.text));
    expect(texts).toEqual(['0', '1', 'You are sending commands too fast; please wait a moment.']);
    expect((await t.send('@bot /echo bob', { from: t.users.bob })).map((r) => r.text)).toEqual(['bob']);
  });
});

describe('logging', () => {
  it('logDispatch writes one line per dispatch on the per-event child logger', async () => {
    const lines: Record<string, unknown>[] = [];
    const logger = createLogger({
      level: 'debug',
      destination: { write: (l: string) => lines.push(JSON.parse(l)) },
    });
    const bot = echoBot()
      .use(logDispatch())
      .command('/fail', {
        description: 'x',
        handler: () => {
          throw new Error('nope');
        },
      });
    const t = createTestBot(bot, { logger });
    await t.send('@bot /echo hi');
    await expect(t.send('@bot /fail')).rejects.toThrow('nope');
    const [ok, failed] = lines.filter((l) => l['msg'] === 'dispatched' || l['msg'] === 'dispatch failed');
    const [okEvent, failEvent] = t.events;
    expect(ok).toMatchObject({
      msg: 'dispatched',
      kind: 'command',
      command: '/echo',
      userId: t.users.alice.userId,
      streamId: t.general.streamId,
      eventType: 'MESSAGESENT',
    });
    expect(String(ok?.['eventKey'])).toContain(okEvent?.type === 'MESSAGESENT' ? okEvent.messageId : '?');
    expect(failed).toMatchObject({ msg: 'dispatch failed', command: '/fail', err: { message: 'nope' } });
    expect(String(failed?.['eventKey'])).toContain(
      failEvent?.type === 'MESSAGESENT' ? failEvent.messageId : '?',
    );
  });
});

describe('conversation steps and tasks', () => {
  const bot = createBot()
    .command('/name', {
      description: 'Ask a name',
      handler: async (ctx) => {
        await ctx.conversation.set({ asked: true });
        await ctx.expect('name');
        await ctx.reply("What's the room name?");
      },
    })
    .step('name', async (ctx) => {
      const conv = await ctx.conversation.get<{ asked: boolean }>();
      await ctx.conversation.clear();
      await ctx.reply(`name=${ctx.text} asked=${String(conv?.asked)}`);
    })
    .command('/later {text:text}', {
      description: 'Later',
      handler: async (ctx) => {
        await ctx.schedule(60_000, 'say', { text: ctx.args.text });
      },
    })
    .task('say', async (ctx) => {
      await ctx.reply(`later: ${(ctx.data as { text: string }).text}`);
    });

  it('routes the next plain message of that user in that stream to the pending step', async () => {
    const t = createTestBot(bot);
    await t.send('@bot /name');
    expect(await t.send('not mine', { from: t.users.bob })).toEqual([]);
    expect((await t.send('Rates desk')).map((r) => r.text)).toEqual(['name=Rates desk asked=true']);
    expect(await t.send('again')).toEqual([]);
  });

  it('lets a step expire with the conversation TTL', async () => {
    const t = createTestBot(bot);
    await t.send('@bot /name');
    t.clock.advance(601_000);
    expect(await t.send('too late')).toEqual([]);
  });

  it('runs scheduled tasks when their time comes', async () => {
    const t = createTestBot(bot);
    await t.send('@bot /later ping me');
    expect(t.scheduled).toHaveLength(1);
    expect(await t.advance(59_000)).toEqual([]);
    expect((await t.advance(1_000)).map((r) => [r.text, r.streamId])).toEqual([
      ['later: ping me', t.general.streamId],
    ]);
    expect(t.scheduled).toHaveLength(0);
  });
});

describe('failures', () => {
  const bot = createBot().command('/boom', {
    description: 'fails',
    handler: () => {
      throw new Error('kaboom');
    },
  });

  it('handle() rejects when a handler throws, so the runtime can retry and dead-letter', async () => {
    const t = createTestBot(bot);
    await expect(t.send('@bot /boom')).rejects.toThrow('kaboom');
  });

  it('ctx.reply refuses a message over 1.5 MB before posting (MessageTooLargeError), as ctx.client does', async () => {
    const sizes = createBot().command('/big {n:number}', {
      description: 'replies n characters',
      handler: async (ctx) => {
        await ctx.reply('x'.repeat(ctx.args.n));
      },
    });
    const t = createTestBot(sizes);
    const wrapper = '<messageML></messageML>'.length;
    expect((await t.send(`@bot /big ${MAX_MESSAGE_BYTES - wrapper}`))[0]?.text).toHaveLength(
      MAX_MESSAGE_BYTES - wrapper,
    );
    const refused = await t.send(`@bot /big ${MAX_MESSAGE_BYTES - wrapper + 1}`).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(MessageTooLargeError);
    expect(refused).toMatchObject({ code: 'SYMPHONY_MESSAGE_TOO_LARGE', limitBytes: MAX_MESSAGE_BYTES });
    expect(t.replies).toHaveLength(1); // the refused one was not posted
    await expect(
      t.client.sendMessage(t.general.streamId, {
        message: `<messageML>${'x'.repeat(MAX_MESSAGE_BYTES)}</messageML>`,
      }),
    ).rejects.toBeInstanceOf(MessageTooLargeError);
    // The test kit's client answers "no such user" as the real one does.
    expect(await t.client.getUser(424242)).toBeUndefined();
  });

  it('failureReply is polite for addressed messages and silent otherwise', async () => {
    const t = createTestBot(bot);
    await t.send('hello').catch(() => {});
    const events: Parameters<typeof bot.failureReply>[0][] = [];
    const capture = createBot();
    capture.on('MESSAGESENT', (ctx) => {
      events.push(ctx.event);
    });
    const c = createTestBot(capture);
    await c.send('@bot /boom');
    await c.send('chatting in a room');
    await c.send('/boom', { stream: c.im(c.users.alice) });
    await c.userJoins(c.users.bob);
    const [addressed, unaddressed, inIm] = events;
    expect(bot.failureReply(addressed!, t.botUser)).toMatch(/^Sorry, something went wrong/);
    expect(bot.failureReply(unaddressed!, t.botUser)).toBeUndefined();
    expect(bot.failureReply(inIm!, t.botUser)).toMatch(/^Sorry/);
    expect(createBot({ failureText: false }).failureReply(addressed!, t.botUser)).toBeUndefined();
  });
});

describe('the transport stays behind an interface', () => {
  const srcDir = fileURLToPath(new URL('../src/', import.meta.url));

  it('every source file imports only zod, node builtins, its own files and the pure @baton/shared areas', () => {
    const files = readdirSync(srcDir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(20);
    const allowed =
      /^(\.{1,2}\/|node:|zod$|@baton\/shared\/(config|errors|events|logging|messageml|process|symphony-types)$)/;
    const offenders: string[] = [];
    for (const file of files) {
      const source = readFileSync(join(srcDir, file), 'utf8');
      for (const [, spec] of source.matchAll(/from '([^']+)'/g)) {
        if (!allowed.test(spec ?? '')) offenders.push(`${file}: ${spec}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('loading @baton/bot and its test kit loads no bullmq, ioredis, axios or Symphony client', async () => {
    // A child node records every module it loads (recordLoadedModules) while it imports the package.
    const recorder = recordLoadedModules();
    const child = new NodeProcess({
      name: 'bot-imports',
      entry: fileURLToPath(new URL('./support/import-bot-and-testkit.ts', import.meta.url)),
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      env: recorder.env,
    });
    let urls: string[];
    try {
      child.start();
      await waitFor(
        'the imports',
        () => child.lines.includes('imported'),
        20_000,
        () => child.output(),
      );
      const pid = child.pid;
      if (pid === undefined) throw new Error('the child has no pid');
      urls = await recorder.read(pid);
    } finally {
      await child.stop();
      recorder.dispose();
    }
    expect(urls.some((u) => u.includes('/packages/bot/src/create-bot.ts'))).toBe(true);
    const heavy = urls.filter((u) =>
      /node_modules\/(\.pnpm\/)?(bullmq|ioredis|axios)[@/]|shared\/src\/(index|symphony\/create-symphony-client|queue\/)/.test(
        u,
      ),
    );
    expect(heavy).toEqual([]);
  });
});
