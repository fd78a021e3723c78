export { guardStdio } from './guard-stdio.ts';
export {
  EXIT_FAILED,
  EXIT_OK,
  type RunServiceOptions,
  runService,
  type ServiceLogger,
  STOP_SIGNALS,
  type StoppableService,
} from './run-service.ts';
export { SERVICE_NODE_OPTIONS, serviceNodeOptions } from './service-node-options.ts';
export { watchParent } from './watch-parent.ts';
