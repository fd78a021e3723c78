import { AttachmentTooLargeError, type Bot, type ReplyFile } from '@baton/bot';

/** `/wc` reads at most this much of each file (a bot sets its own bound; the framework default is 10 MiB). */
export const WC_MAX_BYTES = 1024 * 1024;

/** Counts as the Unix `wc` does: newlines, whitespace-separated words, bytes. */
export function countText(bytes: Buffer): { lines: number; words: number; bytes: number } {
  const text = bytes.toString('utf8');
  const words = text.split(/\s+/).filter((w) => w !== '').length;
  let lines = 0;
  for (const ch of text) if (ch === '\n') lines++;
  return { lines, words, bytes: bytes.length };
}

/** Text, not binary: valid UTF-8 with no NUL byte. */
function isText(bytes: Buffer): boolean {
  if (bytes.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

const pad = (n: number) => String(n).padStart(7);

/**
 * `/wc` with text files attached: counts their lines, words and bytes, answers with a summary and attaches
 * `wc.txt`, the report in `wc`'s own format. Shows the framework's files: `ctx.attachments`, a bounded
 * `ctx.download`, and a reply with a file (`ctx.reply(text, { attachments })`).
 */
export function registerWc(bot: Bot): Bot {
  return bot.command('/wc', {
    description: 'Count the lines, words and bytes of the text files attached to the message',
    examples: ['/wc (with a file attached)'],
    handler: async (ctx) => {
      if (ctx.attachments.length === 0) {
        await ctx.reply('Attach a text file to /wc and I will count its lines, words and bytes.');
        return;
      }
      const summary: string[] = [];
      const report: string[] = [];
      const total = { lines: 0, words: 0, bytes: 0, files: 0 };
      for (const attachment of ctx.attachments) {
        let bytes: Buffer;
        try {
          bytes = await ctx.download(attachment, { maxBytes: WC_MAX_BYTES });
        } catch (error) {
          if (!(error instanceof AttachmentTooLargeError)) throw error;
          summary.push(`${attachment.name}: larger than ${WC_MAX_BYTES / 1024} KiB, skipped`);
          continue;
        }
        if (!isText(bytes)) {
          summary.push(`${attachment.name}: not a text file, skipped`);
          continue;
        }
        const c = countText(bytes);
        summary.push(`${attachment.name}: ${c.lines} lines, ${c.words} words, ${c.bytes} bytes`);
        report.push(`${pad(c.lines)} ${pad(c.words)} ${pad(c.bytes)} ${attachment.name}`);
        total.lines += c.lines;
        total.words += c.words;
        total.bytes += c.bytes;
        total.files++;
      }
      if (total.files > 1) report.push(`${pad(total.lines)} ${pad(total.words)} ${pad(total.bytes)} total`);
      const files: ReplyFile[] =
        report.length > 0
          ? [{ name: 'wc.txt', data: `${report.join('\n')}\n`, contentType: 'text/plain' }]
          : [];
      await ctx.reply(summary.join('\n'), { attachments: files });
    },
  });
}
