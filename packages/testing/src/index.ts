// The workspace's test support (`@baton/testing`, dev only: a source-only export, never built or published).
// Tests, test support and the bench harness import it; no package's src does. The leak check's vitest global
// setup is `./leak-check-global-setup.ts`, set for every vitest config by path in vitest.shared.ts.
export { isAlive } from './is-alive.ts';
export { type LoadedModulesRecorder, recordLoadedModules } from './loaded-modules.ts';
export { makeTempDir, type TempDir } from './make-temp-dir.ts';
export { type NodeExit, NodeProcess, type NodeProcessOptions, nodeFlagsFor } from './node-process.ts';
export { type OtlpReceiver, type ReceivedSpan, startOtlpReceiver } from './otlp-receiver.ts';
export { canListProcesses, type FoundProcess, processesWithEnv } from './processes-with-env.ts';
export { type NodeRun, runNode } from './run-node.ts';
export { checkServiceModules, type ServiceModulesCheck } from './service-modules.ts';
export { type BotUserControl, createSimBotUser, type SimBotUser } from './sim-bot-user.ts';
export { sweepTestRun } from './sweep-test-run.ts';
export { type TestRsaKeyPair, testRsaKeyPair } from './test-rsa-key-pair.ts';
export { newTestRunId, TEST_RUN_VARIABLE, testRunId } from './test-run.ts';
export { testStreamId } from './test-stream-id.ts';
export { createThrowawayCa, type IssuedCertificate, type ThrowawayCa } from './throwaway-ca.ts';
export { type Truthy, type WaitForOptions, waitFor } from './wait-for.ts';
export { WORKSPACE_ROOT } from './workspace-root.ts';
