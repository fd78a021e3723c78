import { homedir, userInfo } from 'node:os';
import type { Env } from './parse-env.ts';

/**
 * The BDK's field interpolation (BDK Java `BdkConfigParser`: commons-text `StringSubstitutor`): `${NAME}` becomes
 * the environment variable NAME, `${NAME:-default}` the default when NAME is not set, `$${x}` the literal `${x}`.
 * An unset variable without a default is left as written, as the BDK does. The Java system properties a config
 * typically uses (`user.home`, `user.dir`, `user.name`) resolve to their Node equivalents, before the environment.
 */
export function interpolateBdkValue(value: string, env: Env): string {
  return value.replace(/\$(\$)?\{([^}:]+)(?::-([^}]*))?\}/g, (whole, escaped, name: string, fallback) => {
    if (escaped) return whole.slice(1);
    const found = systemProperty(name) ?? env[name];
    if (found !== undefined) return found;
    return typeof fallback === 'string' ? fallback : whole;
  });
}

function systemProperty(name: string): string | undefined {
  switch (name) {
    case 'user.home':
      return homedir();
    case 'user.dir':
      return process.cwd();
    case 'user.name':
      return userInfo().username;
    default:
      return undefined;
  }
}

/** Interpolates every string in a parsed config tree (numbers and booleans are left alone, as in the BDK). */
export function interpolateBdkTree(node: unknown, env: Env): unknown {
  if (typeof node === 'string') return interpolateBdkValue(node, env);
  if (Array.isArray(node)) return node.map((item) => interpolateBdkTree(item, env));
  if (node && typeof node === 'object') {
    return Object.fromEntries(
      Object.entries(node as Record<string, unknown>).map(([k, v]) => [k, interpolateBdkTree(v, env)]),
    );
  }
  return node;
}
