/** What runs the bot in a run: Baton with N worker processes, or one of the inline baselines. */
export type Variant =
  | { kind: 'baton'; workers: number; concurrency: number }
  | { kind: 'inline' }
  | { kind: 'inline-batch' };

export function variantName(v: Variant): string {
  return v.kind === 'baton' ? `baton-w${v.workers}` : v.kind;
}
