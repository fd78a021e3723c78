import { createTestBot } from '@baton/bot/testkit';
import { describe, expect, it } from 'vitest';
import { createReferenceBot } from '../src/index.ts';
import { countText, WC_MAX_BYTES } from '../src/wc-command.ts';

const start = () => createTestBot(createReferenceBot({ marketDataUrl: 'http://127.0.0.1:9' }));

describe('/wc', () => {
  it('counts like wc: newlines, whitespace-separated words, bytes (UTF-8)', () => {
    expect(countText(Buffer.from('one two\nthree  four\n'))).toEqual({ lines: 2, words: 4, bytes: 20 });
    expect(countText(Buffer.from('no newline'))).toEqual({ lines: 0, words: 2, bytes: 10 });
    expect(countText(Buffer.from('héllo\n'))).toEqual({ lines: 1, words: 1, bytes: 7 });
    expect(countText(Buffer.alloc(0))).toEqual({ lines: 0, words: 0, bytes: 0 });
  });

  it('answers a file with the counts and attaches the report as wc.txt', async () => {
    const t = start();
    const [reply] = await t.send('@bot /wc', {
      attachments: [
        { name: 'notes.txt', data: 'alpha beta\ngamma\n' },
        { name: 'more.md', data: '# title\n\nsome words here\n' },
      ],
    });
    expect(reply?.text).toBe('notes.txt: 2 lines, 3 words, 17 bytes\nmore.md: 3 lines, 5 words, 25 bytes');
    expect(reply?.attachments?.map((f) => f.name)).toEqual(['wc.txt']);
    expect(reply?.attachments?.[0]?.data.toString()).toBe(
      `${['      2       3      17 notes.txt', '      3       5      25 more.md', '      5       8      42 total'].join('\n')}\n`,
    );
  });

  it('skips binary and oversized files, says so, and asks for a file when there is none', async () => {
    const t = start();
    const [reply] = await t.send('@bot /wc', {
      attachments: [
        { name: 'image.png', data: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]) },
        { name: 'huge.log', data: 'x'.repeat(WC_MAX_BYTES + 1) },
      ],
    });
    expect(reply?.text).toBe('image.png: not a text file, skipped\nhuge.log: larger than 1024 KiB, skipped');
    expect(reply?.attachments).toBeUndefined();
    // The huge file was refused on its declared size: never downloaded.
    expect(t.client.callsOf('downloadAttachment')).toHaveLength(1);
    const [none] = await t.send('@bot /wc');
    expect(none?.text).toMatch(/Attach a text file/);
  });
});
