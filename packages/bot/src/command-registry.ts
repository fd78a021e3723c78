import type { Token } from '@baton/shared/messageml';
import { DuplicateRegistrationError } from './errors.ts';
import type { CommandPattern } from './parse-command-pattern.ts';

/** A registered command: its parsed pattern plus whatever the bot attaches (spec, handler…). */
export interface RegisteredCommand<S> {
  pattern: CommandPattern;
  spec: S;
}

export interface CommandLookup<S> {
  command: RegisteredCommand<S>;
  /** The tokens after the command's literal words. */
  argTokens: Token[];
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur.push(Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost));
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

/** Commands by name; lookup picks the longest matching literal prefix (`/poll close` before `/poll`). */
export function createCommandRegistry<S>() {
  const byName = new Map<string, RegisteredCommand<S>>();

  return {
    /** Registers (or, with `replace`, overrides) a command. */
    add(pattern: CommandPattern, spec: S, opts: { replace?: boolean } = {}): void {
      if (byName.has(pattern.name) && !opts.replace)
        throw new DuplicateRegistrationError('command', pattern.name);
      byName.set(pattern.name, { pattern, spec });
    },
    get(name: string): RegisteredCommand<S> | undefined {
      return byName.get(name);
    },
    all(): RegisteredCommand<S>[] {
      return [...byName.values()].sort((a, b) => a.pattern.name.localeCompare(b.pattern.name));
    },
    /** `slash` as typed (`/Room`), `args` the tokens after it. */
    find(slash: string, args: readonly Token[]): CommandLookup<S> | undefined {
      const first = slash.toLowerCase();
      let best: RegisteredCommand<S> | undefined;
      for (const cmd of byName.values()) {
        const { literals } = cmd.pattern;
        if (literals[0] !== first) continue;
        const fits = literals.slice(1).every((lit, i) => {
          const tok = args[i];
          return tok !== undefined && tok.kind === 'word' && tok.text.toLowerCase() === lit;
        });
        if (fits && (!best || literals.length > best.pattern.literals.length)) best = cmd;
      }
      if (!best) return undefined;
      return { command: best, argTokens: args.slice(best.pattern.literals.length - 1) };
    },
    /** The registered names closest to what was typed (ties kept, at most 3). */
    suggest(slash: string): string[] {
      const typed = slash.toLowerCase();
      const scored = [...byName.values()]
        .filter((c) => !('hidden' in (c.spec as object) && (c.spec as { hidden?: boolean }).hidden))
        .map((c) => {
          const head = c.pattern.literals[0] ?? '';
          const d = Math.min(
            editDistance(typed, head),
            head.startsWith(typed) || typed.startsWith(head) ? 1 : 99,
          );
          return { name: c.pattern.name, d };
        })
        .filter((s) => s.d <= Math.max(2, Math.floor(typed.length / 3)))
        .sort((a, b) => a.d - b.d || a.name.localeCompare(b.name));
      const best = scored[0]?.d;
      return [...new Set(scored.filter((s) => s.d === best).map((s) => s.name))].slice(0, 3);
    },
  };
}

export type CommandRegistry<S> = ReturnType<typeof createCommandRegistry<S>>;
