import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT as ROOT } from '../tools/pack-workspace.ts';

// The "Writing a bot" code of README.md, run as written: the TypeScript blocks of that section are joined into
// one module (the bot, then its test) and imported. If the README lies, this fails.
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const section = readme.slice(
  readme.indexOf('## Writing a bot'),
  readme.indexOf('\n## ', readme.indexOf('## Writing a bot') + 3),
);
const blocks = [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] as string);
const dir = join(ROOT, 'test', '.readme-example');

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('README example', () => {
  it('has the bot and its test', () => {
    expect(blocks).toHaveLength(2);
    expect(blocks[0]).toMatch(/from '@baton\/bot'/);
    expect(blocks[1]).toMatch(/from '@baton\/bot\/testkit'/);
  });

  it('the bot and its test run as shown, and the test can fail', async () => {
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'example.ts');
    writeFileSync(file, `import { expect } from 'vitest';\n${blocks.join('\n')}\nexport {};\n`);
    await expect(import(file)).resolves.toBeDefined();

    // The same test against a bot that does not escape would fail: the expectation is real.
    const lying = join(dir, 'lying.ts');
    writeFileSync(
      lying,
      `import { expect } from 'vitest';\n${(blocks[0] as string).replace('ctx.args.text', "ctx.args.text.replace('hi', 'ho')")}\n${blocks[1]}\nexport {};\n`,
    );
    await expect(import(lying)).rejects.toThrow();
  });
});
