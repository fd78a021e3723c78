import type { BotChoice } from './choose-bot-module.ts';
import { resolvePackageDir } from './resolve-package-dir.ts';
import { resolveServiceEntry, type ServiceEntry } from './resolve-service-entry.ts';
import { resolveTsxLoader } from './resolve-tsx-loader.ts';
import type { StartConfig } from './start-config.ts';

/** A node command line (node itself is `process.execPath`: the node running `baton dev`). */
export interface NodeCommand {
  command: string;
  args: string[];
  /** `source` (src/*.ts through tsx) or `dist` (compiled JavaScript). */
  mode: 'source' | 'dist';
}

/** How to run each Node process of the stack; undefined for a process this run does not have. */
export interface StackCommands {
  podSimulator: NodeCommand | undefined;
  ingester: NodeCommand;
  worker: NodeCommand;
  dashboard: NodeCommand | undefined;
  marketData: NodeCommand | undefined;
}

export interface StackCommandsOptions {
  /** The bot project (where `baton dev` runs): the service packages are resolved from it. */
  projectDir: string;
  /** The package of this CLI (@baton/worker), used when the project does not resolve @baton/worker itself. */
  workerDir: string;
}

/** The reference bot: `baton dev` runs its fake market-data service (for /quote) beside it. */
export const REFERENCE_BOT = '@baton/reference-bot';

/**
 * Resolves every process of the stack from the project: the pod simulator (simulated pods) and the ingester are
 * required, the dashboard runs when `@baton/dashboard` is installed, the market data with the reference bot. In
 * source mode a package with `src/main.ts` runs `node --conditions=@baton/source --import tsx src/main.ts`, any
 * other `node --enable-source-maps dist/main.js`; workers of a TypeScript bot get `--import tsx` too.
 * Throws DevSetupError (nothing has been started yet).
 */
export function resolveStackCommands(
  config: StartConfig,
  bot: BotChoice,
  opts: StackCommandsOptions,
): StackCommands {
  const { projectDir } = opts;
  const sources = config.BATON_DEV_SOURCES;
  let tsx: string | undefined;
  const tsxLoader = (why: string): string => {
    tsx ??= resolveTsxLoader(projectDir, why);
    return tsx;
  };
  const command = (name: string, entry: ServiceEntry, typescriptBot = false): NodeCommand => {
    if (entry.source) {
      return {
        command: process.execPath,
        args: [
          '--conditions=@baton/source',
          '--import',
          tsxLoader(`running ${name} from its sources (--sources)`),
          entry.file,
        ],
        mode: 'source',
      };
    }
    const loader = typescriptBot ? ['--import', tsxLoader(`the TypeScript bot ${bot.given}`)] : [];
    return { command: process.execPath, args: ['--enable-source-maps', ...loader, entry.file], mode: 'dist' };
  };
  const service = (name: string, entry?: string, fallbackDir?: string): NodeCommand =>
    command(
      name,
      resolveServiceEntry(name, {
        projectDir,
        sources,
        ...(entry ? { entry } : {}),
        ...(fallbackDir ? { fallbackDir } : {}),
      }),
    );

  const podSimulator = config.simulated ? service('@baton/pod-simulator') : undefined;
  const ingester = service('@baton/ingester');
  const workerName = '@baton/worker';
  const worker = command(
    workerName,
    resolveServiceEntry(workerName, { projectDir, sources, fallbackDir: opts.workerDir }),
    bot.typescript,
  );
  const dashboard =
    resolvePackageDir('@baton/dashboard', projectDir) !== undefined ? service('@baton/dashboard') : undefined;
  const runMarketData =
    bot.module === REFERENCE_BOT && config.START_MARKET_DATA && config.MARKET_DATA_URL === undefined;
  const marketData = runMarketData ? service(REFERENCE_BOT, 'fake-market-data-main') : undefined;
  return { podSimulator, ingester, worker, dashboard, marketData };
}
