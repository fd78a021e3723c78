/** Host names that only resolve inside docker-compose.yml's network, and paths that only exist in its containers. */
const COMPOSE_HOSTS = new Set(['redis', 'pod-simulator', 'ingester', 'worker', 'dashboard']);
const CONTAINER_PATHS = ['/run/secrets/', '/etc/baton/'];

function composeHost(value: string): boolean {
  try {
    return COMPOSE_HOSTS.has(new URL(value).hostname);
  } catch {
    return false;
  }
}

/**
 * The variables of a `.env` written for `docker compose` (see .env.example) that cannot work for `baton dev` on
 * the host: URLs naming a compose service (`redis://redis:6379`) and container paths (`/run/secrets/...`).
 * `baton dev` ignores them (and says so) instead of failing on an unreachable host or a missing file.
 */
export function composeOnlyVariables(fromFile: Readonly<Record<string, string>>): string[] {
  return Object.entries(fromFile)
    .filter(([, v]) => composeHost(v) || CONTAINER_PATHS.some((p) => v.startsWith(p)))
    .map(([k]) => k);
}
