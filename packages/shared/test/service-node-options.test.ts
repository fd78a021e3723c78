import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { SERVICE_NODE_OPTIONS, serviceNodeOptions } from '../src/process/service-node-options.ts';

/** The young generation's size in a node started with `nodeOptions`, after enough garbage to grow it fully. */
function youngGenerationMb(nodeOptions: string | undefined): number {
  const script = [
    "const v8 = require('node:v8');",
    'let keep = [];',
    'for (let i = 0; i < 2e6; i++) { keep.push({ i, s: "x" + i }); if (keep.length > 20000) keep = []; }',
    "const s = v8.getHeapSpaceStatistics().find((x) => x.space_name === 'new_space');",
    'process.stdout.write(String(s.space_size / 1048576));',
  ].join('\n');
  const env = {
    PATH: process.env['PATH'] ?? '',
    ...(nodeOptions === undefined ? {} : { NODE_OPTIONS: nodeOptions }),
  };
  return Number(execFileSync(process.execPath, ['-e', script], { env, encoding: 'utf8' }));
}

describe('serviceNodeOptions', () => {
  it('puts the defaults first and the caller’s NODE_OPTIONS after them', () => {
    expect(serviceNodeOptions(undefined)).toBe(SERVICE_NODE_OPTIONS);
    expect(serviceNodeOptions('  ')).toBe(SERVICE_NODE_OPTIONS);
    expect(serviceNodeOptions('--max-semi-space-size=16 --trace-warnings')).toBe(
      `${SERVICE_NODE_OPTIONS} --max-semi-space-size=16 --trace-warnings`,
    );
  });

  it('caps the young generation at 2 × 2 MB, and a flag of the caller overrides the cap', () => {
    // V8's default on 64-bit is 2 × 16 MB semi-spaces; the young generation grows to it under allocation.
    expect(youngGenerationMb(undefined)).toBe(32);
    expect(youngGenerationMb(serviceNodeOptions(undefined))).toBe(4);
    expect(youngGenerationMb(serviceNodeOptions('--max-semi-space-size=16'))).toBe(32);
  });
});
