import type { Env } from './parse-env.ts';
import { readBdkConfigFile } from './read-bdk-config-file.ts';

/** What the parsed config keeps of `SYMPHONY_CONFIG_FILE`: its path and the notices to log at start. */
export interface SymphonyConfigFileInfo {
  path: string;
  notices: readonly string[];
}

export interface ConfigFileLayer {
  /** The environment with the file's values under its own. */
  env: Env;
  /** Present when a file was read. */
  info?: SymphonyConfigFileInfo;
  /** Baton variable → BDK key, for the variables the file provided. */
  sources: Readonly<Record<string, string>>;
  problems: { variable: string; problem: string }[];
}

/** The variables that choose the authentication: set any of them in the environment and the file's are unused. */
const AUTH_VARIABLES = [
  'SYMPHONY_PRIVATE_KEY',
  'SYMPHONY_CERT',
  'SYMPHONY_CERT_KEY',
  'SYMPHONY_CERT_PKCS12_PATH',
  'SYMPHONY_CERT_PASSWORD',
];

/** The on-behalf-of app's variables: set either in the environment and the file's app is unused. */
const APP_VARIABLES = ['SYMPHONY_APP_ID', 'SYMPHONY_APP_PRIVATE_KEY'];

/** The agent's URL, one or several: set either in the environment and the file's are unused. */
const AGENT_URL_VARIABLES = ['SYMPHONY_AGENT_URL', 'SYMPHONY_AGENT_URLS'];

const isSet = (value: string | undefined): boolean => value !== undefined && value !== '';
const baseName = (name: string): string => (name.endsWith('_FILE') ? name.slice(0, -5) : name);

/**
 * The config-loading step of `SYMPHONY_CONFIG_FILE`: for a schema that has the variable (the shared Symphony
 * fragment) and an environment that sets it, reads the BDK file once and puts its values under the environment's
 * (a variable set directly or as `<NAME>_FILE` wins; an authentication, or an agent URL or URL list, set in the
 * environment replaces the file's whole). Without the variable, the environment comes back as it is.
 */
export function layerSymphonyConfigFile(shape: Record<string, unknown>, env: Env): ConfigFileLayer {
  const path = env.SYMPHONY_CONFIG_FILE;
  if (!('SYMPHONY_CONFIG_FILE' in shape) || path === undefined || path === '') {
    return { env, sources: {}, problems: [] };
  }
  const file = readBdkConfigFile(path, env);
  const envHas = (names: string[]) => names.some((v) => isSet(env[v]) || isSet(env[`${v}_FILE`]));
  const envHasAuth = envHas(AUTH_VARIABLES);
  const envHasAgentUrl = envHas(AGENT_URL_VARIABLES);
  const envHasApp = APP_VARIABLES.some((v) => isSet(env[v]) || isSet(env[`${v}_FILE`]));
  const layered: Record<string, string | undefined> = {};
  const sources: Record<string, string> = {};
  for (const [name, value] of Object.entries(file.values)) {
    const base = baseName(name);
    if (isSet(env[base]) || isSet(env[`${base}_FILE`])) continue;
    if (envHasAuth && AUTH_VARIABLES.includes(base)) continue;
    if (envHasAgentUrl && AGENT_URL_VARIABLES.includes(base)) continue;
    if (envHasApp && APP_VARIABLES.includes(base)) continue;
    layered[name] = value;
    sources[base] = file.sources[name] ?? name;
  }
  return {
    env: { ...layered, ...Object.fromEntries(Object.entries(env).filter(([, v]) => isSet(v))) },
    info: { path, notices: file.notices.map((n) => `${path}: ${n}`) },
    sources,
    problems: file.problems.map((problem) => ({ variable: 'SYMPHONY_CONFIG_FILE', problem })),
  };
}
