// Build step for packages with runtime assets next to their sources (the simulator's chat page):
// `node copy-assets.mjs FROM TO` copies the folder FROM to TO (relative to the working directory).
import { cpSync, rmSync } from 'node:fs';

const [from, to] = process.argv.slice(2);
if (!from || !to) {
  console.error('usage: copy-assets.mjs FROM TO');
  process.exit(2);
}
rmSync(to, { recursive: true, force: true });
cpSync(from, to, { recursive: true });
