import { createInterface } from 'node:readline/promises';

/** Asks `question [y/N]` on the terminal; resolves true for y / yes (any case), false for anything else. */
export async function askYesNo(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    const answer = await rl.question(`${question} [y/N] `);
    return /^\s*y(es)?\s*$/i.test(answer);
  } finally {
    rl.close();
  }
}
