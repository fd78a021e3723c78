import type { StoppableService } from '../process/run-service.ts';
import { type StartTracingOptions, startTracing } from './start-tracing.ts';

/**
 * A service start for `runService` with the process's tracing around it: tracing starts first (so the service's
 * spans are exported from its start on; with no OTLP endpoint configured nothing is loaded), and is shut down,
 * its buffered spans flushed, once the service has stopped.
 */
export function withTracing(
  tracingOptions: StartTracingOptions,
  start: () => Promise<StoppableService>,
): () => Promise<StoppableService> {
  return async () => {
    const tracing = await startTracing(tracingOptions);
    const service = await start();
    return {
      async stop() {
        await service.stop();
        await tracing.shutdown();
      },
    };
  };
}
