import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The folder of package `name` as the project at `projectDir` resolves it (its `node_modules`, then its
 * parents'), through the `./package.json` export every Baton package has; undefined when it is not installed.
 */
export function resolvePackageDir(name: string, projectDir: string): string | undefined {
  try {
    return dirname(createRequire(join(projectDir, 'package.json')).resolve(`${name}/package.json`));
  } catch {
    return undefined;
  }
}
