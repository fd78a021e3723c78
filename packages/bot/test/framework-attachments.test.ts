import { describe, expect, it } from 'vitest';
import {
  type AttachmentLimitError,
  AttachmentTooLargeError,
  type BotOptions,
  createBot,
} from '../src/index.ts';
import { createTestBot } from '../src/testkit/index.ts';

/** `/files` reports what it received; `/upper` sends each file back upper-cased; `/many <n>` sends n files. */
function filesBot(opts: BotOptions = {}) {
  return createBot(opts)
    .command('/files', {
      description: 'lists and reads the attached files',
      handler: async (ctx) => {
        const lines: string[] = [];
        for (const a of ctx.attachments) {
          try {
            const bytes = await ctx.download(a);
            lines.push(`${a.name} ${a.size} ${bytes.toString('utf8')}`);
          } catch (err) {
            lines.push(`${a.name} refused: ${(err as { code?: string }).code}`);
          }
        }
        await ctx.reply(lines.join('\n') || 'no files');
      },
    })
    .command('/upper', {
      description: 'sends the files back upper-cased',
      handler: async (ctx) => {
        const files = [];
        for (const a of ctx.attachments) {
          files.push({
            name: `upper-${a.name}`,
            data: (await ctx.download(a)).toString('utf8').toUpperCase(),
          });
        }
        await ctx.reply(`${files.length} file(s)`, { attachments: files, data: { note: { type: 'x' } } });
      },
    })
    .command('/many {n:number}', {
      description: 'sends n files',
      handler: async (ctx) => {
        const n = ctx.args.n;
        try {
          await ctx.reply('files', {
            attachments: Array.from({ length: n }, (_, i) => ({ name: `f${i}.txt`, data: `${i}` })),
          });
        } catch (err) {
          await ctx.reply(
            `refused: ${(err as AttachmentLimitError).code} ${(err as AttachmentLimitError).reason}`,
          );
        }
      },
    })
    .command('/named {name:string}', {
      description: 'sends one file with that name',
      handler: async (ctx) => {
        try {
          await ctx.reply('file', { attachments: [{ name: ctx.args.name, data: new Uint8Array([1, 2]) }] });
        } catch (err) {
          await ctx.reply(`refused: ${(err as AttachmentLimitError).reason}`);
        }
      },
    });
}

describe('ctx.attachments and ctx.download', () => {
  it('lists the message’s files in order and downloads their bytes', async () => {
    const t = createTestBot(filesBot());
    const [reply] = await t.send('@bot /files', {
      attachments: [
        { name: 'a.txt', data: 'alpha' },
        { name: 'b.txt', data: new TextEncoder().encode('beta') },
      ],
    });
    expect(reply?.text).toBe('a.txt 5 alpha\nb.txt 4 beta');
    const [first] = t.client.callsOf('downloadAttachment');
    expect(first?.[0]).toMatchObject({ streamId: t.general.streamId, attachmentId: expect.any(String) });
  });

  it('has no attachments for a message without files', async () => {
    const t = createTestBot(filesBot());
    expect((await t.send('@bot /files'))[0]?.text).toBe('no files');
  });

  it('refuses a file whose declared size is over the bound, before any call (SYMPHONY_ATTACHMENT_TOO_LARGE)', async () => {
    const t = createTestBot(filesBot({ maxDownloadBytes: 10 }));
    const [reply] = await t.send('@bot /files', {
      attachments: [
        { name: 'small.txt', data: 'tiny' },
        { name: 'big.txt', data: 'x'.repeat(11) },
      ],
    });
    expect(reply?.text).toBe('small.txt 4 tiny\nbig.txt refused: SYMPHONY_ATTACHMENT_TOO_LARGE');
    expect(t.client.callsOf('downloadAttachment')).toHaveLength(1);
  });

  it('refuses bytes over the bound even when the declared size is small (the client cuts the body off)', async () => {
    const t = createTestBot(filesBot({ maxDownloadBytes: 10 }));
    const [reply] = await t.send('@bot /files', {
      attachments: [{ name: 'liar.txt', data: 'x'.repeat(100), size: 3 }],
    });
    expect(reply?.text).toBe('liar.txt refused: SYMPHONY_ATTACHMENT_TOO_LARGE');
  });

  it('takes a per-call maxBytes and throws the coded error class', async () => {
    const bot = createBot().command('/one', {
      description: 'reads one file with a 2-byte bound',
      handler: async (ctx) => {
        const err = await ctx.download(ctx.attachments[0]!, { maxBytes: 2 }).catch((e: unknown) => e);
        await ctx.reply(err instanceof AttachmentTooLargeError ? `too large (max ${err.maxBytes})` : 'read');
      },
    });
    const t = createTestBot(bot);
    expect((await t.send('@bot /one', { attachments: [{ name: 'a.txt', data: 'abc' }] }))[0]?.text).toBe(
      'too large (max 2)',
    );
  });
});

describe('replies with files', () => {
  it('sends the files with the reply (and EntityJSON beside them), once per event even when retried', async () => {
    const t = createTestBot(filesBot());
    const [reply] = await t.send('@bot /upper', { attachments: [{ name: 'a.txt', data: 'shout' }] });
    expect(reply?.text).toBe('1 file(s)');
    expect(reply?.attachments?.map((f) => [f.name, f.data.toString()])).toEqual([['upper-a.txt', 'SHOUT']]);
    expect(reply?.data).toEqual({ note: { type: 'x' } });
    // The runtime retries an event; the reply (files included) is not posted again.
    expect(await t.emit(t.events[0]!)).toEqual([]);
    expect(t.replies).toHaveLength(1);
  });

  it('keeps a plain EntityJSON second argument working', async () => {
    const bot = createBot().command('/data', {
      description: 'replies with entity data',
      handler: (ctx) => ctx.reply('with data', { attachments: { type: 'not an array' } }).then(() => {}),
    });
    const t = createTestBot(bot);
    const [reply] = await t.send('@bot /data');
    expect(reply?.data).toEqual({ attachments: { type: 'not an array' } });
    expect(reply?.attachments).toBeUndefined();
  });

  it('refuses more than 25 files before posting anything; sends 25', async () => {
    const t = createTestBot(filesBot());
    expect((await t.send('@bot /many 26'))[0]?.text).toBe('refused: SYMPHONY_ATTACHMENT_LIMIT count');
    expect(t.replies).toHaveLength(1);
    const [ok] = await t.send('@bot /many 25');
    expect(ok?.attachments).toHaveLength(25);
  });

  it.each([
    ['README', 'name'],
    ['../x.txt', 'name'],
    ['run.exe', 'type'],
  ])('refuses a file named %s (%s) when only .txt/.csv are allowed', async (name, reason) => {
    const t = createTestBot(filesBot({ allowedAttachmentTypes: ['txt', '.CSV'] }));
    expect((await t.send(`@bot /named ${name}`))[0]?.text).toBe(`refused: ${reason}`);
  });

  it('accepts an allowed type whatever its case', async () => {
    const t = createTestBot(filesBot({ allowedAttachmentTypes: ['txt', '.CSV'] }));
    expect((await t.send('@bot /named rates.Csv'))[0]?.attachments?.[0]?.name).toBe('rates.Csv');
  });
});
