import { describe, expect, it } from 'vitest';
import { planFor } from '../src/bench-plan.ts';
import { parseCliOptions, SCENARIOS } from '../src/cli-options.ts';
import { resultFileName } from '../src/report/write-results.ts';

describe('parseCliOptions', () => {
  it('defaults to every scenario at full size', () => {
    const o = parseCliOptions([]);
    expect(o).toMatchObject({ quick: false, help: false, scenarios: [...SCENARIOS] });
    const plan = planFor(o);
    expect(plan.burst).toMatchObject({
      events: 5_000,
      streams: 100,
      handlerMs: 200,
      feedVersions: ['v1', 'v2'],
    });
    expect(plan.burst.variants.map((v) => (v.kind === 'baton' ? `w${v.workers}` : v.kind))).toEqual([
      'w1',
      'w2',
      'w4',
      'inline',
      'inline-batch',
    ]);
  });

  it('reads --quick, --scenario lists, --burst-rate, --workers and --only (both flag forms)', () => {
    const o = parseCliOptions([
      '--quick',
      '--scenario=burst,steady',
      '--burst-rate',
      'max',
      '--workers',
      '1,3',
      '--only=baton',
    ]);
    expect(o).toMatchObject({
      quick: true,
      scenarios: ['burst', 'steady'],
      burstRate: 'max',
      workers: [1, 3],
    });
    const plan = planFor(o);
    expect(plan.burst.events).toBeLessThan(1_000);
    expect(plan.burst.ratePerSec).toBe('max');
    expect(plan.burst.variants).toEqual([
      { kind: 'baton', workers: 1, concurrency: 16 },
      { kind: 'baton', workers: 3, concurrency: 16 },
    ]);
    expect(parseCliOptions(['--scenario', 'all']).scenarios).toEqual([...SCENARIOS]);
    expect(parseCliOptions(['--', '--burst-rate=250']).burstRate).toBe(250);
    expect(parseCliOptions(['--label', 'rate250']).label).toBe('rate250');
    expect(resultFileName('burst', false, 'rate250')).toBe('burst.rate250.json');
    expect(resultFileName('burst', true)).toBe('burst.quick.json');
    expect(resultFileName('steady', false)).toBe('steady.json');
    expect(
      parseCliOptions(['--ingester-env', 'INGESTER_V1_READ_AHEAD=0,LOG_LEVEL=info']).ingesterEnv,
    ).toEqual({ INGESTER_V1_READ_AHEAD: '0', LOG_LEVEL: 'info' });
  });

  it('rejects what it does not know', () => {
    expect(() => parseCliOptions(['--scenario', 'nope'])).toThrow(/unknown scenario "nope"/);
    expect(() => parseCliOptions(['--fast'])).toThrow(/unknown argument/);
    expect(() => parseCliOptions(['--burst-rate', '-3'])).toThrow(/positive number/);
    expect(() => parseCliOptions(['--workers', '0'])).toThrow(/--workers/);
    expect(() => parseCliOptions(['--only', 'bdk'])).toThrow(/unknown variant/);
    expect(() => parseCliOptions(['--scenario'])).toThrow(/needs a value/);
    expect(() => parseCliOptions(['--label', '../x'])).toThrow(/--label/);
    expect(() => parseCliOptions(['--ingester-env', 'lower=1'])).toThrow(/--ingester-env/);
  });
});
