import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DevSetupError } from './dev-setup-error.ts';

/**
 * The URL of tsx's loader (`node --import <it>`) as the project at `projectDir` resolves `tsx`: processes are
 * spawned as `node --import tsx …`, never through the tsx CLI (whose wrapper survives a SIGKILL and leaks the
 * child). Throws DevSetupError NO_TSX, saying `why` it is needed, when the project has no tsx.
 */
export function resolveTsxLoader(projectDir: string, why: string): string {
  try {
    return pathToFileURL(createRequire(join(projectDir, 'package.json')).resolve('tsx')).href;
  } catch {
    throw new DevSetupError(
      'NO_TSX',
      `${why} needs tsx, which this project does not have: add it (pnpm add -D tsx)`,
    );
  }
}
