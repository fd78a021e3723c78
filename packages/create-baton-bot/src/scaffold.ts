import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { assertUsableDir } from './assert-usable-dir.ts';
import { assertValidBotName } from './assert-valid-bot-name.ts';
import { assertValidVersionRange } from './assert-valid-version-range.ts';
import { findBatonTarballs } from './find-baton-tarballs.ts';
import { listTemplateFiles } from './list-template-files.ts';
import { outputPath } from './output-path.ts';
import { readOwnVersion, templatesDir } from './package-root.ts';
import { renderTemplate, type TemplateValues } from './render-template.ts';
import { type ProjectPackageJson, useTarballs } from './use-tarballs.ts';

export interface ScaffoldOptions {
  /** Folder of the new project (created when absent). */
  dir: string;
  /** Package name of the bot. Default: the folder's name. */
  name?: string;
  /** Version range of the `@baton/*` dependencies. Default: `^<version of create-baton-bot>`. */
  batonVersion?: string;
  /**
   * A folder of `pnpm pack` tarballs (`baton-bot-0.1.0.tgz`…): the `@baton/*` dependencies become
   * `file:<tarball>` and `pnpm.overrides` sends every `@baton/*` package found there to its tarball.
   */
  tarballs?: string;
  /** Write into a folder that is not empty (files of the same name are overwritten). */
  force?: boolean;
}

export interface ScaffoldResult {
  /** Absolute path of the project. */
  dir: string;
  /** The files written, relative to `dir` (`/`-separated), sorted. */
  files: string[];
}

/**
 * Writes a standalone bot project from `templates/`. Every check (name, version, tarballs, target folder)
 * runs before the first write, so bad input leaves nothing behind; it throws a ScaffoldError.
 */
export async function scaffold(options: ScaffoldOptions): Promise<ScaffoldResult> {
  const dir = resolve(options.dir);
  const name = options.name ?? basename(dir);
  assertValidBotName(name, options.name === undefined ? 'folder' : 'flag');
  const batonVersion = options.batonVersion ?? `^${await readOwnVersion()}`;
  assertValidVersionRange(batonVersion);
  const tarballsDir = options.tarballs === undefined ? undefined : resolve(options.tarballs);
  const tarballs = tarballsDir === undefined ? undefined : await findBatonTarballs(tarballsDir);
  await assertUsableDir(dir, options.force ?? false);

  const values: TemplateValues = { name, batonVersion };
  const output = new Map<string, string>();
  for (const template of await listTemplateFiles(templatesDir)) {
    const path = outputPath(template);
    let text = renderTemplate(await readFile(join(templatesDir, template), 'utf8'), values, template);
    if (path === 'package.json') {
      let pkg = JSON.parse(text) as ProjectPackageJson;
      if (tarballs && tarballsDir !== undefined) pkg = useTarballs(pkg, tarballs, tarballsDir);
      text = `${JSON.stringify(pkg, null, 2)}\n`;
    }
    output.set(path, text);
  }

  for (const [path, text] of output) {
    const target = join(dir, path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, text);
  }
  return { dir, files: [...output.keys()].sort() };
}
