#!/usr/bin/env node
// The `baton` command: the compiled CLI (run `pnpm build` first in the Baton repository).
import '../dist/cli/baton.js';
