export const SCENARIOS = ['burst', 'isolation', 'ceiling', 'steady', 'scale', 'hostile-host'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export interface CliOptions {
  quick: boolean;
  scenarios: ScenarioName[];
  /** Burst injection rate override (messages/s or `max`). */
  burstRate?: number | 'max';
  /** Worker counts of the burst's Baton variants (default 1,2,4). */
  workers?: number[];
  /** Only these variant kinds (default all). */
  only?: ('baton' | 'inline' | 'inline-batch')[];
  /** Directory for V8 CPU profiles of every spawned process (`--cpu-prof`). */
  cpuProfileDir?: string;
  /** Suffix of the result files (`<scenario>.<label>.json`), to keep runs with other settings apart. */
  label?: string;
  /** Extra variables for every Baton ingester process (e.g. INGESTER_V1_READ_AHEAD=0), to compare settings. */
  ingesterEnv?: Record<string, string>;
  help: boolean;
}

export const USAGE = `pnpm bench [--quick] [--scenario burst|isolation|ceiling|steady|scale|hostile-host|all]
           [--burst-rate <msgs/s>|max] [--workers 1,2,4] [--only baton,inline,inline-batch] [--label name] [--cpu-prof dir]
           [--ingester-env NAME=value,...]

  --quick        small sizes (a smoke test of every path, ~minutes)
  --scenario     which scenario(s) to run, comma-separated (default all)
  --burst-rate   injection rate of the burst (default 1000 msgs/s; max = as fast as the simulator takes them)
  --workers      worker process counts of the Baton variants in the burst (default 1,2,4)
  --only         run only these variant kinds
  --cpu-prof     write a V8 CPU profile of every spawned process into dir (summarize: print-cpu-profiles-main.ts)
  --label        write bench/results/<scenario>.<label>.json instead of <scenario>.json
  --ingester-env extra variables for the Baton ingester, e.g. INGESTER_V1_READ_AHEAD=0 (compare with --label)
Results: bench/results/<scenario>.json and a table on stdout.`;

/** Parses the bench's command line (`--flag value` or `--flag=value`); throws on anything unknown. */
export function parseCliOptions(argv: readonly string[]): CliOptions {
  const opts: CliOptions = { quick: false, scenarios: [...SCENARIOS], help: false };
  const args = argv.flatMap((a) => (a.startsWith('--') && a.includes('=') ? a.split(/=(.*)/s, 2) : [a]));
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const value = () => {
      const v = args[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    switch (arg) {
      case '--':
        break;
      case '--quick':
        opts.quick = true;
        break;
      case '--help':
      case '-h':
        opts.help = true;
        break;
      case '--scenario': {
        const v = value();
        if (v === 'all') opts.scenarios = [...SCENARIOS];
        else {
          const list = v.split(',').map((s) => s.trim());
          for (const s of list) {
            if (!(SCENARIOS as readonly string[]).includes(s)) throw new Error(`unknown scenario "${s}"`);
          }
          opts.scenarios = list as ScenarioName[];
        }
        break;
      }
      case '--burst-rate': {
        const v = value();
        const n = Number(v);
        if (v !== 'max' && !(Number.isFinite(n) && n > 0))
          throw new Error('--burst-rate: a positive number or max');
        opts.burstRate = v === 'max' ? 'max' : n;
        break;
      }
      case '--workers': {
        const list = value()
          .split(',')
          .map((s) => Number(s.trim()));
        if (list.some((n) => !Number.isInteger(n) || n < 1 || n > 16))
          throw new Error('--workers: e.g. 1,2,4');
        opts.workers = list;
        break;
      }
      case '--only': {
        const list = value()
          .split(',')
          .map((s) => s.trim());
        for (const k of list) {
          if (!['baton', 'inline', 'inline-batch'].includes(k))
            throw new Error(`--only: unknown variant "${k}"`);
        }
        opts.only = list as CliOptions['only'];
        break;
      }
      case '--cpu-prof':
        opts.cpuProfileDir = value();
        break;
      case '--label': {
        const v = value();
        if (!/^[A-Za-z0-9_-]+$/.test(v)) throw new Error('--label: letters, digits, _ and - only');
        opts.label = v;
        break;
      }
      case '--ingester-env': {
        const env: Record<string, string> = {};
        for (const pair of value().split(',')) {
          const m = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(pair.trim());
          if (!m?.[1] || m[2] === undefined) throw new Error('--ingester-env: NAME=value,...');
          env[m[1]] = m[2];
        }
        opts.ingesterEnv = env;
        break;
      }
      default:
        throw new Error(`unknown argument "${arg}"`);
    }
  }
  return opts;
}
