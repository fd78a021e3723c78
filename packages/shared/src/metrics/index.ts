export {
  createOpsServer,
  type OpsServer,
  type OpsServerConfig,
  type OpsServerDeps,
  type Readiness,
} from './create-ops-server.ts';
export { createRegistry } from './create-registry.ts';
