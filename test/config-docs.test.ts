import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configurationMarkdown, ROOT, readmeWithTable } from '../tools/config-docs.ts';

describe('configuration docs', () => {
  it("docs/configuration.md matches the services' schemas (run `pnpm docs:config`)", () => {
    expect(readFileSync(`${ROOT}docs/configuration.md`, 'utf8')).toBe(configurationMarkdown());
  });

  it('the README configuration table matches the schemas (run `pnpm docs:config`)', () => {
    const readme = readFileSync(`${ROOT}README.md`, 'utf8');
    expect(readme).toBe(readmeWithTable(readme));
  });

  it('documents every variable with a description', () => {
    const md = configurationMarkdown();
    const undocumented = md.split('\n').filter((l) => /^\| `[A-Z_]+` \|/.test(l) && /\| {0,1}\|$/.test(l));
    expect(undocumented).toEqual([]);
  });
});
