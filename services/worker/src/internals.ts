// Source-only subpath `@baton/worker/internals` (the `@baton/source` condition, so it resolves in this workspace
// and is not part of the published package): the pieces of `baton dev` and the `baton` CLI that the repository's
// root tests (test/start-*.test.ts) check one by one.
export { parseBatonArgs } from './cli/parse-baton-args.ts';
export { UsageError } from './cli/usage-error.ts';
export { ensureBotKeyPair } from './dev/bot-key-pair.ts';
export { chooseBotModule } from './dev/choose-bot-module.ts';
export { composeOnlyVariables } from './dev/compose-only-values.ts';
export { createBotDirWatcher, reloadsOn } from './dev/create-bot-dir-watcher.ts';
export { DevSetupError } from './dev/dev-setup-error.ts';
export { formatLogLine } from './dev/format-log-line.ts';
export { loadDotenv, parseDotenv, parseDotenvFile } from './dev/load-dotenv.ts';
export { createProcessSupervisor, type ProcessSpec } from './dev/process-supervisor.ts';
export { readyBanner } from './dev/ready-banner.ts';
export type { StackOutput } from './dev/stack-output.ts';
export { readStackRecord, stackRecordPath } from './dev/stack-record.ts';
export { loadStartConfig } from './dev/start-config.ts';
export { writeSimSeed } from './dev/write-sim-seed.ts';
