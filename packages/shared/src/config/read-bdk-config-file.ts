import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { SERVER_BLOCKS } from './bdk-config-keys.ts';
import { interpolateBdkTree } from './bdk-interpolate.ts';
import type { Env } from './parse-env.ts';

/** What a BDK config file amounts to: Baton variables, plus what Baton ignores (notices) or refuses (problems). */
export interface BdkConfigFileResult {
  /** Baton variables (env-like: strings, `<NAME>_FILE` for paths). */
  values: Record<string, string>;
  /** Baton variable → the BDK key it came from (for error messages). */
  sources: Record<string, string>;
  /** Keys read but without effect, unknown keys: logged at warn when the Symphony client starts. */
  notices: string[];
  /** Keys Baton refuses (they would change behaviour silently): fail the start. */
  problems: string[];
}

type Tree = Record<string, unknown>;

/**
 * The YAML parser, loaded on the first file that is not JSON: config loading is synchronous, so through `require`
 * (yaml ships CommonJS for Node). A service without `SYMPHONY_CONFIG_FILE` never loads it.
 */
const parseYaml = (text: string): unknown =>
  (createRequire(import.meta.url)('yaml') as typeof import('yaml')).parse(text);

const isTree = (v: unknown): v is Tree => typeof v === 'object' && v !== null && !Array.isArray(v);
const SERVER_FIELDS = ['scheme', 'host', 'port', 'context'] as const;
const IGNORED_SERVER_FIELDS = [
  'connectionTimeout',
  'connectionPoolMax',
  'connectionPoolPerRoute',
  'defaultHeaders',
] as const;

/**
 * Reads a Symphony BDK `config.yaml` / `config.json` as the BDKs do (JSON first, then YAML; `${ENV}` and
 * `${ENV:-default}` interpolation) and maps it to Baton's variables, following `BDK_CONFIG_KEYS`. Never throws for
 * the file's content: an unreadable or malformed file, or a refused key, is a problem.
 */
export function readBdkConfigFile(path: string, env: Env): BdkConfigFileResult {
  const out: BdkConfigFileResult = { values: {}, sources: {}, notices: [], problems: [] };
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    out.problems.push(
      `cannot read file "${path}" (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`,
    );
    return out;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    try {
      parsed = parseYaml(text);
    } catch (error) {
      out.problems.push(`"${path}" is neither JSON nor YAML (${(error as Error).message.split('\n')[0]})`);
      return out;
    }
  }
  if (!isTree(parsed)) {
    out.problems.push(`"${path}" is not a JSON/YAML object`);
    return out;
  }
  mapConfig(interpolateBdkTree(parsed, env) as Tree, out);
  return out;
}

function mapConfig(root: Tree, out: BdkConfigFileResult): void {
  const seen = new Set<string>();
  /** The value at a dotted path (marking it known); arrays and objects come back as they are. */
  const at = (dotted: string): unknown => {
    seen.add(dotted);
    let node: unknown = root;
    for (const part of dotted.split('.')) node = isTree(node) ? node[part] : undefined;
    return node;
  };
  const set = (variable: string, key: string, value: unknown): void => {
    if (value === undefined || value === null || value === '') return;
    out.values[variable] = String(value);
    out.sources[variable] = key;
  };

  // Servers: each field of a block falls back to the root's; the root defaults to https and port 443.
  const field = (block: string | undefined, name: (typeof SERVER_FIELDS)[number]): unknown => {
    const own = block ? at(`${block}.${name}`) : undefined;
    return own ?? at(name);
  };
  const urlOf = (pick: (name: (typeof SERVER_FIELDS)[number]) => unknown): string | undefined => {
    const host = pick('host');
    if (host === undefined || host === null || host === '') return undefined;
    const scheme = String(pick('scheme') ?? 'https');
    const port = pick('port') ?? (scheme === 'http' ? 80 : 443);
    const defaultPort =
      (scheme === 'https' && Number(port) === 443) || (scheme === 'http' && Number(port) === 80);
    let context = String(pick('context') ?? '');
    if (context !== '' && !context.startsWith('/')) context = `/${context}`;
    context = context.replace(/\/+$/, '');
    return `${scheme}://${host}${defaultPort ? '' : `:${port}`}${context}`;
  };
  const blockUrl = (block?: string) => urlOf((name) => field(block, name));

  let agentUrl = blockUrl('agent');
  const lb = at('agent.loadBalancing');
  if (lb !== undefined && lb !== null) {
    agentUrl = undefined;
    mapLoadBalancing(lb, { at, set, urlOf, out });
  }
  const podUrl = blockUrl('pod');
  const keyManagerUrl = blockUrl('keyManager');
  set('SYMPHONY_POD_URL', 'pod.host (or host)', podUrl);
  set('SYMPHONY_LOGIN_URL', 'pod.host (or host)', podUrl);
  set('SYMPHONY_AGENT_URL', 'agent.host (or host)', agentUrl);
  set('SYMPHONY_KEY_MANAGER_URL', 'keyManager.host (or host)', keyManagerUrl);
  set('SYMPHONY_KEY_AUTH_URL', 'keyManager.host (or host)', keyManagerUrl);
  set('SYMPHONY_SESSION_AUTH_URL', 'sessionAuth.host (or host)', blockUrl('sessionAuth'));

  set('SYMPHONY_TIMEOUT_MS', 'readTimeout', at('readTimeout'));
  const ignoredServerKeys: string[] = [];
  for (const block of [undefined, ...SERVER_BLOCKS]) {
    const prefix = block ? `${block}.` : '';
    for (const name of IGNORED_SERVER_FIELDS) {
      if (at(`${prefix}${name}`) !== undefined) ignoredServerKeys.push(`${prefix}${name}`);
    }
    if (block && at(`${block}.readTimeout`) !== undefined) ignoredServerKeys.push(`${block}.readTimeout`);
  }
  if (ignoredServerKeys.length > 0) {
    out.notices.push(
      `not supported, ignored: ${ignoredServerKeys.join(', ')} (one timeout per call: SYMPHONY_TIMEOUT_MS; no extra headers)`,
    );
  }

  // Proxy: one for every call.
  const proxyUrl = (key: string): string | undefined => {
    const p = at(key);
    if (!isTree(p)) return undefined;
    for (const k of ['host', 'port', 'username', 'password']) at(`${key}.${k}`);
    if (!p.host || !p.port) {
      out.problems.push(`${key}: expected both host and port`);
      return undefined;
    }
    const auth =
      p.username !== undefined
        ? `${encodeURIComponent(String(p.username))}:${encodeURIComponent(String(p.password ?? ''))}@`
        : '';
    return `http://${auth}${p.host}:${p.port}`;
  };
  const globalProxy = proxyUrl('proxy');
  const blockProxies = SERVER_BLOCKS.map((b) => [b, proxyUrl(`${b}.proxy`)] as const).filter(
    (entry): entry is readonly [(typeof SERVER_BLOCKS)[number], string] => entry[1] !== undefined,
  );
  const distinct = new Set([globalProxy, ...blockProxies.map(([, url]) => url)].filter(Boolean));
  if (
    distinct.size > 1 ||
    (globalProxy === undefined && blockProxies.length > 0 && blockProxies.length < 4)
  ) {
    out.problems.push(
      `${blockProxies.map(([b]) => `${b}.proxy`).join(', ')}: a proxy per component is not supported; Baton sends every call through one proxy (set only the root \`proxy\`)`,
    );
  } else {
    set('HTTPS_PROXY', 'proxy', globalProxy ?? blockProxies[0]?.[1]);
  }

  /**
   * The RSA key of `block` (`bot`, `app`): its file (`privateKey.path`, or the flat `privateKeyPath`) to
   * `<variable>_FILE`, its content (`privateKey.content` or `privateKeyContent`, PEM or base64 of the PEM) to
   * `variable`.
   */
  const privateKey = (block: 'bot' | 'app', variable: string): void => {
    set(
      `${variable}_FILE`,
      `${block}.privateKey.path`,
      at(`${block}.privateKey.path`) ?? at(`${block}.privateKeyPath`),
    );
    const content = at(`${block}.privateKey.content`) ?? at(`${block}.privateKeyContent`);
    if (typeof content === 'string' && content !== '') {
      const pem = content.includes('-----BEGIN') ? content : Buffer.from(content, 'base64').toString('utf8');
      set(variable, `${block}.privateKey.content`, pem);
    }
  };

  // The bot's credentials.
  set('SYMPHONY_BOT_USERNAME', 'bot.username', at('bot.username'));
  privateKey('bot', 'SYMPHONY_PRIVATE_KEY');
  set(
    'SYMPHONY_CERT_PKCS12_PATH',
    'bot.certificate.path',
    at('bot.certificate.path') ?? at('bot.certificatePath'),
  );
  set(
    'SYMPHONY_CERT_PASSWORD',
    'bot.certificate.password',
    at('bot.certificate.password') ?? at('bot.certificatePassword'),
  );
  if ((at('bot.certificate.content') ?? at('bot.certificateContent')) !== undefined) {
    out.problems.push(
      'bot.certificate.content: not supported; give the PKCS#12 file as bot.certificate.path',
    );
  }

  // Trust store: PEM only.
  const trustStore = at('ssl.trustStore.path') ?? at('ssl.trustStorePath');
  at('ssl.trustStore.password');
  at('ssl.trustStorePassword');
  if (typeof trustStore === 'string' && trustStore !== '') {
    let head = '';
    try {
      head = readFileSync(trustStore, 'latin1');
    } catch (error) {
      out.problems.push(
        `ssl.trustStore.path: cannot read file "${trustStore}" (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`,
      );
    }
    if (head !== '' && !head.includes('-----BEGIN CERTIFICATE-----')) {
      out.problems.push(
        `ssl.trustStore.path: "${trustStore}" is not PEM; Baton reads PEM CA certificates only. Convert a PKCS#12 store with \`openssl pkcs12 -in store.p12 -nokeys -out ca.pem\`, a JKS one first with \`keytool -importkeystore -srckeystore store.jks -destkeystore store.p12 -deststoretype PKCS12\``,
      );
    } else if (head !== '') {
      set('SYMPHONY_CA_CERT_FILE', 'ssl.trustStore.path', trustStore);
    }
  }

  // Retries.
  set('SYMPHONY_RETRY_MAX_ATTEMPTS', 'retry.maxAttempts', at('retry.maxAttempts'));
  set('SYMPHONY_RETRY_INITIAL_INTERVAL_MS', 'retry.initialIntervalMillis', at('retry.initialIntervalMillis'));
  set('SYMPHONY_RETRY_MULTIPLIER', 'retry.multiplier', at('retry.multiplier'));
  set('SYMPHONY_RETRY_MAX_INTERVAL_MS', 'retry.maxIntervalMillis', at('retry.maxIntervalMillis'));

  // Feeds (the ingester's variables; other services do not read them).
  const version = at('datafeed.version');
  if (version !== undefined && version !== null)
    set('FEED_VERSION', 'datafeed.version', String(version).toLowerCase());
  set('MAX_BACKOFF_MS', 'datafeed.retry.maxIntervalMillis', at('datafeed.retry.maxIntervalMillis'));
  const ignoredFeedKeys = [
    'datafeed.retry.maxAttempts',
    'datafeed.retry.initialIntervalMillis',
    'datafeed.retry.multiplier',
    'datafeed.idFilePath',
    'datafeed.tag',
    'datafeed.includeInvisible',
    'datahose.retry',
  ].filter((k) => at(k) !== undefined);
  for (const k of ['maxAttempts', 'initialIntervalMillis', 'multiplier', 'maxIntervalMillis']) {
    at(`datahose.retry.${k}`);
  }
  if (ignoredFeedKeys.length > 0) {
    out.notices.push(
      `ignored: ${ignoredFeedKeys.join(', ')} (the ingester's read loop never gives up, keeps its feed id in Redis and creates the feed without tag or includeInvisible)`,
    );
  }
  set('DATAHOSE_TAG', 'datahose.tag', at('datahose.tag'));
  const eventTypes = at('datahose.eventTypes');
  if (Array.isArray(eventTypes)) set('DATAHOSE_EVENT_TYPES', 'datahose.eventTypes', eventTypes.join(','));

  // The on-behalf-of app: its id and RSA key (certificate authentication of apps is not supported).
  set('SYMPHONY_APP_ID', 'app.appId', at('app.appId'));
  privateKey('app', 'SYMPHONY_APP_PRIVATE_KEY');
  const appCertificate = [
    'app.certificate',
    'app.certificatePath',
    'app.certificatePassword',
    'app.certificateContent',
  ];
  const appCertificateKeys = appCertificate.filter((k) => at(k) !== undefined);
  if (appCertificateKeys.length > 0) {
    out.notices.push(
      `not supported, ignored: ${appCertificateKeys.join(', ')} (on-behalf-of uses the app's RSA key: app.privateKey)`,
    );
    for (const k of appCertificateKeys) markSubtree(at(k), k, seen);
  }

  // Sections Baton does not support yet.
  const unsupported = ['commonJwt', 'extensions'].filter((k) => at(k) !== undefined);
  if (unsupported.length > 0) {
    out.notices.push(`not supported yet, ignored: ${unsupported.join(', ')} (common JWT, BDK extensions)`);
    for (const k of unsupported) markSubtree(root[k], k, seen);
  }

  const unknown = leafKeys(root).filter((k) => !isKnown(k, seen));
  if (unknown.length > 0) out.notices.push(`unknown keys, ignored: ${unknown.join(', ')}`);
}

const LB_MODES = ['roundRobin', 'random', 'external'] as const;

/**
 * `agent.loadBalancing` as the BDK reads it: `mode` (mandatory), `stickiness` (default true), `nodes` (at least
 * one, each a server config of its own: https and port 443 by default, without the root's fallback), and no
 * agent host next to it. Sets `SYMPHONY_AGENT_URLS`, `SYMPHONY_AGENT_LB_MODE`, `SYMPHONY_AGENT_LB_STICKINESS`.
 */
function mapLoadBalancing(
  lb: unknown,
  ctx: {
    at: (dotted: string) => unknown;
    set: (variable: string, key: string, value: unknown) => void;
    urlOf: (pick: (name: (typeof SERVER_FIELDS)[number]) => unknown) => string | undefined;
    out: BdkConfigFileResult;
  },
): void {
  const { at, set, urlOf, out } = ctx;
  if (!isTree(lb)) {
    out.problems.push('agent.loadBalancing: expected an object with mode, stickiness and nodes');
    return;
  }
  for (const k of ['mode', 'stickiness', 'nodes']) at(`agent.loadBalancing.${k}`);
  const own = SERVER_FIELDS.filter((f) => at(`agent.${f}`) !== undefined);
  if (own.length > 0) {
    out.problems.push(
      `agent.loadBalancing: set together with ${own.map((f) => `agent.${f}`).join(', ')}; give the agents as loadBalancing.nodes only (the BDK refuses both too)`,
    );
  }
  const mode = lb.mode;
  const modeValid = typeof mode === 'string' && (LB_MODES as readonly string[]).includes(mode);
  if (!modeValid) {
    out.problems.push(
      `agent.loadBalancing.mode: expected ${LB_MODES.join(', ')} (mandatory), got ${mode === undefined ? 'nothing' : JSON.stringify(mode)}`,
    );
  }
  const nodes = Array.isArray(lb.nodes) ? lb.nodes : [];
  const urls = nodes.map((n) => (isTree(n) ? urlOf((name) => n[name]) : undefined));
  if (nodes.length === 0) {
    out.problems.push('agent.loadBalancing.nodes: expected at least one node');
    return;
  }
  if (urls.some((u) => u === undefined)) {
    out.problems.push('agent.loadBalancing.nodes: every node needs a host');
    return;
  }
  let list = urls as string[];
  if (mode === 'external' && list.length > 1) {
    out.notices.push(
      `agent.loadBalancing: external mode calls the first node only (${list[0]}), your load balancer; the ${list.length - 1} other node(s) are ignored`,
    );
    list = list.slice(0, 1);
  }
  set('SYMPHONY_AGENT_URLS', 'agent.loadBalancing.nodes', list.join(','));
  if (modeValid) set('SYMPHONY_AGENT_LB_MODE', 'agent.loadBalancing.mode', mode);
  set('SYMPHONY_AGENT_LB_STICKINESS', 'agent.loadBalancing.stickiness', lb.stickiness);
}

function markSubtree(node: unknown, prefix: string, seen: Set<string>): void {
  seen.add(prefix);
  if (isTree(node)) for (const [k, v] of Object.entries(node)) markSubtree(v, `${prefix}.${k}`, seen);
}

/** Dotted paths of the leaves (arrays and `defaultHeaders`-like maps count as leaves of their key). */
function leafKeys(node: Tree, prefix = ''): string[] {
  return Object.entries(node).flatMap(([k, v]) => {
    const path = prefix ? `${prefix}.${k}` : k;
    return isTree(v) && Object.keys(v).length > 0 && !path.endsWith('defaultHeaders')
      ? leafKeys(v, path)
      : [path];
  });
}

function isKnown(path: string, seen: Set<string>): boolean {
  if (seen.has(path)) return true;
  if (path.startsWith('agent.loadBalancing.nodes')) return true;
  // A known key whose value is an object of its own (a map) counts for its leaves.
  for (let i = path.lastIndexOf('.'); i > 0; i = path.lastIndexOf('.', i - 1)) {
    const parent = path.slice(0, i);
    if (seen.has(parent) && (parent.endsWith('defaultHeaders') || parent === 'agent.loadBalancing'))
      return true;
  }
  return false;
}
