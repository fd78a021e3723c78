import { type FSWatcher, watch } from 'node:fs';
import { join, relative, sep } from 'node:path';

export interface BotDirWatcherConfig {
  /** The bot's folder, watched recursively. */
  dir: string;
  /** Quiet time after the last change before `onChange` (an editor's save is several events). Default 300 ms. */
  debounceMs?: number;
  /** Folders whose changes are ignored too (absolute: BATON_HOME, whose Redis AOF changes every second). */
  ignoreDirs?: readonly string[];
}

export interface BotDirWatcherDeps {
  /** Called once per burst of changes, with the (absolute) file that changed last. */
  onChange(file: string): void;
  onError(err: Error): void;
}

export interface BotDirWatcher {
  close(): void;
}

/** Folders never watched: installed packages, build output, `baton dev`'s own files, git. */
const IGNORED_SEGMENTS = new Set(['node_modules', 'dist', '.baton', '.git']);
/** Editors' swap, backup and lock files. */
const EDITOR_FILE = /(~|\.sw[a-p]|\.tmp|^\.#.*|^4913)$/;

/** Whether a change of `rel` (relative to the watched folder) should reload the workers. */
export function reloadsOn(rel: string): boolean {
  const segments = rel.split(/[\\/]/).filter((s) => s !== '');
  const name = segments.at(-1);
  if (name === undefined || EDITOR_FILE.test(name)) return false;
  return !segments.some((s) => IGNORED_SEGMENTS.has(s));
}

/**
 * Watches the bot's folder recursively (`fs.watch`, recursive on Linux since Node 20) and reports a change once
 * `debounceMs` passed without another, ignoring node_modules, dist, .baton, .git and editor temp files.
 */
export function createBotDirWatcher(config: BotDirWatcherConfig, deps: BotDirWatcherDeps): BotDirWatcher {
  const debounceMs = config.debounceMs ?? 300;
  const ignoreDirs = (config.ignoreDirs ?? []).map((d) => (d.endsWith(sep) ? d : d + sep));
  let timer: NodeJS.Timeout | undefined;
  let last: string | undefined;
  let closed = false;
  const watcher: FSWatcher = watch(config.dir, { recursive: true }, (_event, filename) => {
    if (closed || !filename) return;
    const file = join(config.dir, filename);
    if (!reloadsOn(relative(config.dir, file))) return;
    if (ignoreDirs.some((d) => file.startsWith(d))) return;
    last = file;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      if (!closed && last !== undefined) deps.onChange(last);
    }, debounceMs);
  });
  watcher.on('error', (err) => deps.onError(err));
  return {
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      watcher.close();
    },
  };
}
