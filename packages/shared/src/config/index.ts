export { BDK_CONFIG_KEYS, type BdkConfigKey } from './bdk-config-keys.ts';
export { ConfigError } from './config-error.ts';
export { type DeepReadonly, deepFreeze } from './deep-freeze.ts';
export { describeEnv, type EnvVarDoc } from './describe-env.ts';
export { envBoolean } from './env-boolean.ts';
export { envHostPortList, envHttpUrl, envPem, envPositiveInt } from './env-fragments.ts';
export {
  CONFIG_ERROR_EXIT_CODE,
  type LoadConfigOrExitOptions,
  loadConfigOrExit,
} from './load-config-or-exit.ts';
export { LOG_LEVELS, type LogEnv, logEnvSchema } from './log-env.ts';
export { type OboEnv, oboClientConfigFrom } from './obo-client-config-from.ts';
export { type Env, parseEnv } from './parse-env.ts';
export { type RedisEnv, redisEnvSchema } from './redis-env.ts';
export { symphonyClientConfigFrom } from './symphony-client-config-from.ts';
export type { SymphonyConfigFileInfo } from './symphony-config-file-layer.ts';
export { type SymphonyEnv, symphonyEnvSchema } from './symphony-env.ts';
