import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BatonError } from '@baton/shared/errors';
import { describe, expect, it } from 'vitest';

// docs/errors.md must list every error code the sources define, and nothing else; every error class must be a
// BatonError. The codes are read from the sources, per class: `super('CODE', …)`, a `code = 'CODE'` field, and a
// `code: Union` or `` code: `PREFIX_${Union}` `` declaration expanded from the string-literal union declared in
// the same file. A class without a code of its own must be a base that takes its code as a parameter (like
// `BotFrameworkError`), and such a base may not be constructed directly with an inline code.

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** create-baton-bot has no dependencies at all: its errors have BatonError's shape but cannot extend it. */
const NO_DEPENDENCIES = 'create-baton-bot';

interface SourceFile {
  /** Path from the repository root. */
  path: string;
  /** The package's name, as docs/errors.md heads its section. */
  pkg: string;
  source: string;
}

interface ErrorClass {
  name: string;
  parent: string;
  file: SourceFile;
  body: string;
  codes: string[];
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return tsFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.d.ts') ? [path] : [];
  });
}

/** Every TypeScript file under `<base>/<package>/src` (packages, services, bots) and bench/src. */
function sourceFiles(): SourceFile[] {
  const dirs = ['packages', 'services', 'bots'].flatMap((base) =>
    readdirSync(join(root, base)).map((name) => join(root, base, name)),
  );
  dirs.push(join(root, 'bench'));
  return dirs.flatMap((dir) => {
    const src = join(dir, 'src');
    if (!statSync(src, { throwIfNoEntry: false })?.isDirectory()) return [];
    const { name } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string };
    return tsFiles(src).map((file) => ({
      path: relative(root, file),
      pkg: name,
      source: readFileSync(file, 'utf8'),
    }));
  });
}

const CODE = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/;

/** The members of `type <name> = 'A' | 'B'` declared in `source`; every member must be an UPPER_SNAKE code part. */
function unionMembers(source: string, name: string, where: string): string[] {
  const declared = new RegExp(`type ${name}\\s*=([^;]+);`).exec(source);
  if (!declared)
    throw new Error(`${where}: code type ${name} is not a string-literal union declared in this file`);
  const members = [...(declared[1] ?? '').matchAll(/'([^']*)'/g)].map((m) => m[1] ?? '');
  const bad = members.filter((m) => !CODE.test(m));
  if (members.length === 0 || bad.length > 0)
    throw new Error(`${where}: ${name} has non-code members ${bad}`);
  return members;
}

/** The codes a class body declares as its own (see the top of this file). */
function codesOf(body: string, source: string, where: string): string[] {
  const codes = new Set<string>();
  for (const m of body.matchAll(/\bsuper\(\s*'([^']*)'/g)) codes.add(m[1] ?? '');
  for (const m of body.matchAll(/\bcode(?:\s*:\s*string)?\s*=\s*'([^']*)'/g)) codes.add(m[1] ?? '');
  for (const m of body.matchAll(/\bcode\s*:\s*([A-Z]\w*)\s*;/g)) {
    for (const member of unionMembers(source, m[1] ?? '', where)) codes.add(member);
  }
  for (const m of body.matchAll(/\bcode\s*:\s*`([A-Z][A-Z0-9_]*)\$\{(\w+)\}`/g)) {
    for (const member of unionMembers(source, m[2] ?? '', where)) codes.add(`${m[1]}${member}`);
  }
  return [...codes];
}

/** Every class of the sources that extends `Error`, or a class that does, with the codes it declares. */
function errorClasses(files: readonly SourceFile[]): ErrorClass[] {
  const classes: ErrorClass[] = [];
  for (const file of files) {
    for (const m of file.source.matchAll(
      /^(?:export\s+)?(?:abstract\s+)?class\s+(\w+)\s+extends\s+(\w+)/gm,
    )) {
      const rest = file.source.slice(m.index);
      const firstLine = rest.slice(0, rest.indexOf('\n') + 1 || undefined);
      const end = firstLine.trimEnd().endsWith('{}') ? firstLine.length : rest.indexOf('\n}') + 2;
      const body = rest.slice(0, end);
      const name = m[1] ?? '';
      const where = `${file.path}: ${name}`;
      classes.push({ name, parent: m[2] ?? '', file, body, codes: codesOf(body, file.source, where) });
    }
  }
  // Keep the error classes: those whose parent is Error or (transitively) another error class.
  const errors = new Set(['Error']);
  for (let grew = true; grew; ) {
    grew = false;
    for (const c of classes) {
      if (!errors.has(c.name) && errors.has(c.parent)) {
        errors.add(c.name);
        grew = true;
      }
    }
  }
  return classes.filter((c) => errors.has(c.parent));
}

/** Bases that take their code as a constructor parameter: `BatonError` and its code-less subclasses. */
function passThroughBases(classes: readonly ErrorClass[]): Set<string> {
  const bases = new Set<string>();
  for (let grew = true; grew; ) {
    grew = false;
    for (const c of classes) {
      if (bases.has(c.name) || c.codes.length > 0) continue;
      const takesCode = /\bconstructor\(\s*code\b/.test(c.body);
      const inherits = !/\bconstructor\(/.test(c.body) && bases.has(c.parent);
      if (takesCode || inherits) {
        bases.add(c.name);
        grew = true;
      }
    }
  }
  return bases;
}

/** What is wrong with the sources' error classes and codes, measured against docs/errors.md. */
function audit(files: readonly SourceFile[], doc: string) {
  const classes = errorClasses(files);
  const byName = new Map(classes.map((c) => [c.name, c]));
  const bases = passThroughBases(classes);
  const reachesBaton = (c: ErrorClass): boolean => {
    for (let at: ErrorClass | undefined = c, hops = 0; at && hops < 20; at = byName.get(at.parent), hops++) {
      if (at.parent === 'BatonError' || at.name === 'BatonError') return true;
    }
    return false;
  };

  const defined = new Set<string>();
  const codeless: string[] = [];
  const notBaton: string[] = [];
  const badCodes: string[] = [];
  for (const c of classes) {
    const where = `${c.file.path}: ${c.name}`;
    if (c.codes.length === 0 && !bases.has(c.name)) codeless.push(where);
    if (c.name !== 'BatonError' && c.file.pkg !== NO_DEPENDENCIES && !reachesBaton(c)) notBaton.push(where);
    for (const code of c.codes) {
      if (!CODE.test(code)) badCodes.push(`${where}: '${code}'`);
      else defined.add(`${c.file.pkg} ${code} ${c.name}`);
    }
  }

  const inline: string[] = [];
  for (const file of files) {
    for (const base of bases) {
      for (const m of file.source.matchAll(new RegExp(`\\bnew ${base}\\(\\s*['\`]([^'\`]*)`, 'g'))) {
        inline.push(`${file.path}: new ${base}('${m[1]}', …)`);
      }
    }
  }

  const documented = new Set<string>();
  let pkg: string | undefined;
  for (const line of doc.split('\n')) {
    const heading = /^## `([^`]+)`/.exec(line);
    if (heading) pkg = heading[1];
    const row = /^\| `([A-Z0-9_]+)` \| `(\w+)` \|/.exec(line);
    if (row && pkg) documented.add(`${pkg} ${row[1]} ${row[2]}`);
  }

  return {
    classes,
    defined,
    codeless,
    notBaton,
    badCodes,
    inline,
    undocumented: [...defined].filter((entry) => !documented.has(entry)).sort(),
    unknown: [...documented].filter((entry) => !defined.has(entry)).sort(),
  };
}

const files = sourceFiles();
const doc = readFileSync(join(root, 'docs/errors.md'), 'utf8');

describe('error codes', () => {
  it('every code in the sources is in docs/errors.md (package, code, class), and every documented one exists', () => {
    const result = audit(files, doc);
    expect(result.defined.size).toBeGreaterThan(50);
    expect(result.undocumented).toEqual([]);
    expect(result.unknown).toEqual([]);
    expect(result.badCodes).toEqual([]);
  });

  it('every error class declares a code or is a base that takes one, and no base is given an inline code', () => {
    const result = audit(files, doc);
    expect(result.classes.length).toBeGreaterThan(40);
    expect(result.codeless).toEqual([]);
    expect(result.inline).toEqual([]);
  });

  it('every error class extends BatonError (statically; create-baton-bot, which has no dependencies, aside)', () => {
    expect(audit(files, doc).notBaton).toEqual([]);
  });

  it('every exported error class is a BatonError at run time (create-baton-bot aside)', async () => {
    const classes = audit(files, doc).classes.filter((c) => c.name !== 'BatonError');
    const checked: string[] = [];
    const wrong: string[] = [];
    for (const c of classes) {
      const mod = (await import(pathToFileURL(join(root, c.file.path)).href)) as Record<string, unknown>;
      const cls = mod[c.name];
      if (typeof cls !== 'function') {
        wrong.push(`${c.file.path}: ${c.name} is not exported`);
        continue;
      }
      const proto = (cls as { prototype: unknown }).prototype;
      const isBaton = proto instanceof BatonError;
      if (isBaton !== (c.file.pkg !== NO_DEPENDENCIES)) wrong.push(`${c.file.path}: ${c.name}`);
      if (!(proto instanceof Error)) wrong.push(`${c.file.path}: ${c.name} is not an Error`);
      checked.push(c.name);
    }
    expect(wrong).toEqual([]);
    expect(checked).toHaveLength(classes.length);
    expect(checked).toEqual(expect.arrayContaining(['SymphonyError', 'BotModuleError', 'ScaffoldError']));
  });

  it('the checks can fail: a new code, a dropped row, a plain Error, a code-less class and an inline code', () => {
    const extra: SourceFile = {
      path: 'services/worker/src/runtime/doctored.ts',
      pkg: '@baton/worker',
      source: [
        "import { BatonError } from '@baton/shared';",
        '',
        "export type DoctoredProblem = 'ONE' | 'TWO';",
        '',
        'export class DoctoredError extends BatonError {',
        '  constructor() {',
        "    super('DOCTORED_THING', 'x');",
        '  }',
        '}',
        '',
        'export class DoctoredFamilyError extends BatonError {',
        `  declare readonly code: \`DOCTORED_\${DoctoredProblem}\`;`,
        '}',
        '',
        'export class PlainError extends Error {',
        "  readonly code = 'PLAIN';",
        '}',
        '',
        'export class NoCodeError extends BatonError {',
        '  constructor(message: string) {',
        '    super(message.toUpperCase(), message);',
        '  }',
        '}',
        '',
        "const made = new BotFrameworkError('ADHOC', 'invented here');",
        '',
      ].join('\n'),
    };
    const withoutRow = doc.replace(/^\| `STALE_DRAIN` .*\n/m, '');
    expect(withoutRow).not.toBe(doc);

    const result = audit([...files, extra], withoutRow);
    expect(result.undocumented).toEqual([
      '@baton/worker DOCTORED_ONE DoctoredFamilyError',
      '@baton/worker DOCTORED_THING DoctoredError',
      '@baton/worker DOCTORED_TWO DoctoredFamilyError',
      '@baton/worker PLAIN PlainError',
      '@baton/worker STALE_DRAIN StaleDrainError',
    ]);
    expect(result.notBaton).toEqual(['services/worker/src/runtime/doctored.ts: PlainError']);
    expect(result.codeless).toEqual(['services/worker/src/runtime/doctored.ts: NoCodeError']);
    expect(result.inline).toEqual([
      "services/worker/src/runtime/doctored.ts: new BotFrameworkError('ADHOC', …)",
    ]);

    const stale = audit(files, `${doc}\n## \`@baton/worker\`\n\n| \`GONE_CODE\` | \`GoneError\` | x | y |\n`);
    expect(stale.unknown).toEqual(['@baton/worker GONE_CODE GoneError']);
  });
});
