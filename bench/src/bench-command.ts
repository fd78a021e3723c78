import type { Token } from '@baton/shared';

/** The benchmark command: `/work <tag> <ms>` = wait `ms` (I/O), then reply `done <tag>`. */
export interface BenchWork {
  tag: string;
  ms: number;
}

export const replyText = (tag: string): string => `done ${tag}`;

/** Reads `/work <tag> <ms>` from a command's slash word and argument tokens; undefined when it is not one. */
export function parseBenchWork(slash: string, args: readonly Token[]): BenchWork | undefined {
  if (slash.toLowerCase() !== 'work' || args.length !== 2) return undefined;
  const [tag, ms] = args;
  if (tag?.kind !== 'word' || ms?.kind !== 'word') return undefined;
  const n = Number(ms.text);
  if (!Number.isInteger(n) || n < 0) return undefined;
  return { tag: tag.text, ms: n };
}
