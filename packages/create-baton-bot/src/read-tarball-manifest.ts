import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { ScaffoldError } from './scaffold-error.ts';

/** What `scaffold` needs from a packed package's package.json. */
export interface TarballManifest {
  name: string;
  version: string;
  /** `dependencies` and non-optional `peerDependencies` together (what an install must find). */
  requires: string[];
}

const BLOCK = 512;
/** The package.json at the top of the archive: `package/package.json` for `npm pack` and `pnpm pack`. */
const MANIFEST = /^[^/]+\/package\.json$/;

/** Reads the package.json inside a `pnpm pack` tarball (a gzipped ustar archive). */
export async function readTarballManifest(path: string): Promise<TarballManifest> {
  const bad = (why: string) => new ScaffoldError('BAD_TARBALL', `${path} is not a packed package: ${why}`);
  let tar: Buffer;
  try {
    tar = gunzipSync(await readFile(path));
  } catch {
    throw bad('not gzip data');
  }
  const text = findEntry(tar, (name) => MANIFEST.test(name));
  if (text === undefined) throw bad('no package.json at its top');
  let pkg: unknown;
  try {
    pkg = JSON.parse(text);
  } catch {
    throw bad('its package.json is not JSON');
  }
  const name = field(pkg, 'name');
  const version = field(pkg, 'version');
  if (typeof name !== 'string' || typeof version !== 'string')
    throw bad('its package.json has no name or version');
  const optionalPeers = recordOf(field(pkg, 'peerDependenciesMeta'));
  const peers = Object.keys(recordOf(field(pkg, 'peerDependencies'))).filter(
    (peer) => field(optionalPeers[peer], 'optional') !== true,
  );
  return { name, version, requires: [...Object.keys(recordOf(field(pkg, 'dependencies'))), ...peers] };
}

/** The text of the first regular file whose path matches, or undefined. */
function findEntry(tar: Buffer, wanted: (path: string) => boolean): string | undefined {
  for (let at = 0; at + BLOCK <= tar.length; ) {
    const header = tar.subarray(at, at + BLOCK);
    if (header.every((byte) => byte === 0)) return undefined; // end of archive
    const size = Number.parseInt(cString(header, 124, 12).trim() || '0', 8);
    if (!Number.isFinite(size) || size < 0) return undefined;
    const type = cString(header, 156, 1);
    // POSIX ustar keeps long paths in a prefix field; other formats use those bytes for something else.
    const prefix = cString(header, 257, 6) === 'ustar' ? cString(header, 345, 155) : '';
    const name = cString(header, 0, 100);
    const path = prefix === '' ? name : `${prefix}/${name}`;
    const body = at + BLOCK;
    if ((type === '0' || type === '') && wanted(path))
      return tar.subarray(body, body + size).toString('utf8');
    at = body + Math.ceil(size / BLOCK) * BLOCK;
  }
  return undefined;
}

function cString(block: Buffer, start: number, length: number): string {
  const bytes = block.subarray(start, start + length);
  const end = bytes.indexOf(0);
  return bytes.subarray(0, end === -1 ? bytes.length : end).toString('utf8');
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? Reflect.get(value, key) : undefined;
}

function recordOf(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}
