/** The services' process entries, relative to the repository root (what the drills start as child processes). */
export const SERVICE_ENTRIES = {
  ingester: 'services/ingester/src/main.ts',
  worker: 'services/worker/src/main.ts',
  dlq: 'services/worker/src/cli/dlq.ts',
} as const;
