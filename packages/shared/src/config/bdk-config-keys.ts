/**
 * Every key of a Symphony BDK configuration file (BDK Java `BdkConfig` and its parts, BDK Python `BdkConfig`) and
 * what Baton does with it: the one table behind `readBdkConfigFile` (which keys it knows) and the mapping table in
 * docs/configuration.md. `*` stands for any server block: the root, `pod`, `agent`, `keyManager`, `sessionAuth`.
 */
export interface BdkConfigKey {
  /** Dotted path; `*` = the root or one of the server blocks. */
  key: string;
  /** The Baton variable it sets, when it sets one. */
  variable?: string;
  /** `mapped`: sets `variable`; `ignored`: read, no effect, a notice at start; `error`: refused at start. */
  status: 'mapped' | 'ignored' | 'error';
  note: string;
}

export const SERVER_BLOCKS = ['pod', 'agent', 'keyManager', 'sessionAuth'] as const;

export const BDK_CONFIG_KEYS: readonly BdkConfigKey[] = [
  {
    key: 'scheme, host, port, context',
    variable: 'SYMPHONY_POD_URL, SYMPHONY_AGENT_URL, SYMPHONY_KEY_MANAGER_URL, SYMPHONY_SESSION_AUTH_URL',
    status: 'mapped',
    note: 'The root values are the defaults of every block (scheme `https`, port 443); RSA login uses the pod, certificate login `sessionAuth` and `keyManager`, as in the BDK',
  },
  {
    key: 'pod.{scheme,host,port,context}',
    variable: 'SYMPHONY_POD_URL, SYMPHONY_LOGIN_URL',
    status: 'mapped',
    note: 'Each field falls back to the root one',
  },
  {
    key: 'agent.{scheme,host,port,context}',
    variable: 'SYMPHONY_AGENT_URL',
    status: 'mapped',
    note: 'Each field falls back to the root one',
  },
  {
    key: 'keyManager.{scheme,host,port,context}',
    variable: 'SYMPHONY_KEY_MANAGER_URL, SYMPHONY_KEY_AUTH_URL',
    status: 'mapped',
    note: 'Each field falls back to the root one',
  },
  {
    key: 'sessionAuth.{scheme,host,port,context}',
    variable: 'SYMPHONY_SESSION_AUTH_URL',
    status: 'mapped',
    note: 'Each field falls back to the root one',
  },
  {
    key: 'agent.loadBalancing.nodes',
    variable: 'SYMPHONY_AGENT_URLS',
    status: 'mapped',
    note: 'At least one; each node is a server config of its own (`host` required, https and port 443 by default). Refused next to `agent.{scheme,host,port,context}`, as in the BDK',
  },
  {
    key: 'agent.loadBalancing.mode',
    variable: 'SYMPHONY_AGENT_LB_MODE',
    status: 'mapped',
    note: 'Mandatory: `roundRobin`, `random` or `external`. `external` calls the first node (your load balancer) and sends a call through it again at once when an agent fails; unlike the BDK it does not ask `/agent/v1/info` for a node to call directly (other nodes: a notice)',
  },
  {
    key: 'agent.loadBalancing.stickiness',
    variable: 'SYMPHONY_AGENT_LB_STICKINESS',
    status: 'mapped',
    note: 'Default `true`, as in the BDK; the datafeed is sticky whatever the value',
  },
  {
    key: 'readTimeout',
    variable: 'SYMPHONY_TIMEOUT_MS',
    status: 'mapped',
    note: 'Root value only; a block’s own `readTimeout` is ignored (one timeout per call)',
  },
  {
    key: '*.connectionTimeout, *.connectionPoolMax, *.connectionPoolPerRoute',
    status: 'ignored',
    note: 'Baton has one timeout per call and keep-alive agents without a pool limit',
  },
  {
    key: '*.defaultHeaders',
    status: 'ignored',
    note: 'Extra headers are not sent yet',
  },
  {
    key: 'proxy.{host,port,username,password}',
    variable: 'HTTPS_PROXY',
    status: 'mapped',
    note: '`http://username:password@host:port`',
  },
  {
    key: '{pod,agent,keyManager,sessionAuth}.proxy',
    variable: 'HTTPS_PROXY',
    status: 'error',
    note: 'Accepted when it equals the root `proxy` (or is the only one); a different proxy per block is refused: Baton sends every call through one proxy',
  },
  { key: 'bot.username', variable: 'SYMPHONY_BOT_USERNAME', status: 'mapped', note: '' },
  {
    key: 'bot.privateKey.path (bot.privateKeyPath)',
    variable: 'SYMPHONY_PRIVATE_KEY_FILE',
    status: 'mapped',
    note: 'A relative path is relative to the working directory, as in the BDK',
  },
  {
    key: 'bot.privateKey.content (bot.privateKeyContent)',
    variable: 'SYMPHONY_PRIVATE_KEY',
    status: 'mapped',
    note: 'The PEM text, or its base64 (the Java BDK reads `content` as bytes)',
  },
  {
    key: 'bot.certificate.path (bot.certificatePath)',
    variable: 'SYMPHONY_CERT_PKCS12_PATH',
    status: 'mapped',
    note: 'A PKCS#12 file, as in the BDK',
  },
  {
    key: 'bot.certificate.password (bot.certificatePassword)',
    variable: 'SYMPHONY_CERT_PASSWORD',
    status: 'mapped',
    note: '',
  },
  {
    key: 'bot.certificate.content (bot.certificateContent)',
    status: 'error',
    note: 'Refused: give the PKCS#12 file as `bot.certificate.path`',
  },
  {
    key: 'ssl.trustStore.path (ssl.trustStorePath)',
    variable: 'SYMPHONY_CA_CERT_FILE',
    status: 'mapped',
    note: 'PEM certificates only; a PKCS#12 or JKS store is refused with the command that converts it',
  },
  {
    key: 'ssl.trustStore.password (ssl.trustStorePassword)',
    status: 'ignored',
    note: 'A PEM file has no password',
  },
  {
    key: 'retry.maxAttempts',
    variable: 'SYMPHONY_RETRY_MAX_ATTEMPTS',
    status: 'mapped',
    note: '`-1` = unbounded, as in the BDK',
  },
  {
    key: 'retry.initialIntervalMillis',
    variable: 'SYMPHONY_RETRY_INITIAL_INTERVAL_MS',
    status: 'mapped',
    note: '',
  },
  { key: 'retry.multiplier', variable: 'SYMPHONY_RETRY_MULTIPLIER', status: 'mapped', note: '' },
  {
    key: 'retry.maxIntervalMillis',
    variable: 'SYMPHONY_RETRY_MAX_INTERVAL_MS',
    status: 'mapped',
    note: '',
  },
  {
    key: 'datafeed.version',
    variable: 'FEED_VERSION',
    status: 'mapped',
    note: '`v1` or `v2` (ingester)',
  },
  {
    key: 'datafeed.retry.maxIntervalMillis',
    variable: 'MAX_BACKOFF_MS',
    status: 'mapped',
    note: 'The cap of the ingester’s read-loop backoff',
  },
  {
    key: 'datafeed.retry.{maxAttempts,initialIntervalMillis,multiplier}',
    status: 'ignored',
    note: 'The ingester’s read loop never gives up (the BDK default, `-1`) and has its own backoff',
  },
  {
    key: 'datafeed.idFilePath',
    status: 'ignored',
    note: 'Not needed: the ingester keeps the feed id in Redis',
  },
  {
    key: 'datafeed.tag, datafeed.includeInvisible',
    status: 'ignored',
    note: 'The ingester creates its feed without them',
  },
  {
    key: 'datahose.tag',
    variable: 'DATAHOSE_TAG',
    status: 'mapped',
    note: 'Used when `FEED_VERSION=datahose` (the BDK’s datahose block does not select the datahose by itself either)',
  },
  {
    key: 'datahose.eventTypes',
    variable: 'DATAHOSE_EVENT_TYPES',
    status: 'mapped',
    note: 'The list joined with commas',
  },
  {
    key: 'datahose.retry',
    status: 'ignored',
    note: 'The ingester’s read loop never gives up',
  },
  {
    key: 'app.appId',
    variable: 'SYMPHONY_APP_ID',
    status: 'mapped',
    note: 'The on-behalf-of (OBO) app; without a `bot` block the worker runs app-only',
  },
  {
    key: 'app.privateKey.path (app.privateKeyPath)',
    variable: 'SYMPHONY_APP_PRIVATE_KEY_FILE',
    status: 'mapped',
    note: 'A relative path is relative to the working directory, as in the BDK',
  },
  {
    key: 'app.privateKey.content (app.privateKeyContent)',
    variable: 'SYMPHONY_APP_PRIVATE_KEY',
    status: 'mapped',
    note: 'The PEM text, or its base64',
  },
  {
    key: 'app.certificate (path, password, content)',
    status: 'ignored',
    note: 'App certificate authentication is not supported: OBO uses the app’s RSA key (a notice says so)',
  },
  { key: 'commonJwt', status: 'ignored', note: 'Baton sends the `sessionToken` header' },
  { key: 'extensions', status: 'ignored', note: 'BDK extensions do not apply to Baton' },
  {
    key: 'any other key',
    status: 'ignored',
    note: 'Listed in a notice at start as unknown',
  },
];
