import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BDK_CONFIG_KEYS, describeEnv, type EnvVarDoc } from '@baton/shared';
import type { z } from 'zod';
import { referenceBotEnvSchema } from '../bots/reference/src/reference-bot-env.ts';
import { simConfigSchema } from '../packages/pod-simulator/src/config.ts';
import { dashboardConfigSchema } from '../services/dashboard/src/config.ts';
import { ingesterConfigSchema } from '../services/ingester/src/config.ts';
import { dlqFieldsSchema, workerEnvSchema } from '../services/worker/src/config.ts';
import { startConfigSchema } from '../services/worker/src/dev/start-config.ts';

/** Every service's config schema, in the order the docs list them. */
export const SERVICE_SCHEMAS: ReadonlyArray<{ service: string; schema: z.ZodObject }> = [
  { service: 'ingester', schema: ingesterConfigSchema as unknown as z.ZodObject },
  { service: 'worker', schema: workerEnvSchema as unknown as z.ZodObject },
  { service: 'reference bot', schema: referenceBotEnvSchema as unknown as z.ZodObject },
  { service: 'dashboard', schema: dashboardConfigSchema as unknown as z.ZodObject },
  { service: 'pod-simulator', schema: simConfigSchema as unknown as z.ZodObject },
  { service: 'baton dev (pnpm start)', schema: startConfigSchema as unknown as z.ZodObject },
  // The DLQ tool reads the worker's Redis variables too; only its own are listed.
  { service: 'dlq (pnpm dlq, baton dlq)', schema: dlqFieldsSchema as unknown as z.ZodObject },
];

const cell = (s: string | undefined): string => (s ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');
const defaultCell = (row: EnvVarDoc): string =>
  row.default !== undefined ? `\`${cell(row.default)}\`` : row.required ? '**required**' : '—';

const CERTIFICATE_AUTH = [
  '## Certificate authentication',
  '',
  "Every service that talks to Symphony authenticates with an RSA key (`SYMPHONY_PRIVATE_KEY`) or with the bot's",
  'certificate over mutual TLS: `SYMPHONY_CERT` + `SYMPHONY_CERT_KEY` (PEM, usually as `_FILE`s), or',
  '`SYMPHONY_CERT_PKCS12_PATH` (a .p12/.pfx file) with `SYMPHONY_CERT_PASSWORD`. Setting a certificate selects',
  'certificate authentication; setting both an RSA key and a certificate is refused. The session token then comes',
  'from `POST /sessionauth/v1/authenticate` on `SYMPHONY_SESSION_AUTH_URL` (default: the pod) and the key manager',
  'token from `POST /keyauth/v1/authenticate` on `SYMPHONY_KEY_AUTH_URL` (default: the key manager); only those two',
  'calls present the certificate. A 401 on any later call re-authenticates by certificate, as with RSA. A rejected',
  'certificate (401, or the documented 400/403) is `SYMPHONY_AUTHENTICATION_REJECTED` and is not retried. At start,',
  "a certificate without its key, a key that is not the certificate's, an unreadable file or a wrong PKCS#12",
  'password stop the service with a message naming the variable. The key and the password are never logged.',
];

const ON_BEHALF_OF = [
  '## On behalf of (OBO)',
  '',
  'A bot can act as a user (`ctx.obo(user)`: send a message as them, list their streams, create an IM or a room as',
  'them) through an extension app registered on the pod with an RSA public key and installed by that user. Give the',
  'worker the app: `SYMPHONY_APP_ID` and `SYMPHONY_APP_PRIVATE_KEY` (usually as `SYMPHONY_APP_PRIVATE_KEY_FILE`;',
  'both or neither, and a key that does not load stops the start; OBO calls use one agent, the first of the agent URLs). The client logs the app in with',
  '`POST /login/pubkey/app/authenticate` (an RS512 JWT: `sub` = the app id and `exp` at most 5 minutes ahead, both',
  'required; Baton signs one valid 240 s, as the BDKs, adding `iat`), then each user with',
  '`POST /login/pubkey/app/user/{userId}/authenticate` (or `…/username/{username}/…`), header `sessionToken: <app',
  "session>`. The answer is the user's session token (no key manager token: an OBO session has none, and the agent",
  'accepts `sessionToken` alone). A pod gives no lifetime with its tokens (an admin sets it, 1 hour to 2 weeks), so',
  'user sessions are reused at most `SYMPHONY_OBO_SESSION_MAX_AGE_MS` (50 min, under the shortest lifetime; less when',
  'the token is a JWT whose `exp` is sooner), 1000 users at most, and renewed once on a 401, single-flight per user;',
  'a user login refused with a cached app session renews the app session once. A refused app is',
  '`SYMPHONY_APP_AUTH_REJECTED`, a user who has not installed the app `SYMPHONY_OBO_USER_REJECTED` (neither is',
  'retried). The key and every token are never logged. Without `SYMPHONY_BOT_USERNAME` (and no bot key) the worker',
  'runs **app-only**: docs/worker.md, "App-only workers". Only the RSA form is supported (no app certificate).',
];

const AGENT_LOAD_BALANCING = [
  '## Agent load balancing',
  '',
  'Give several agents as `SYMPHONY_AGENT_URLS` (comma-separated origins, instead of `SYMPHONY_AGENT_URL`; the BDK',
  "file's `agent.loadBalancing`) and every agent call of the ingester and the workers is spread over them by",
  '`SYMPHONY_AGENT_LB_MODE`: `roundRobin` (default) or `random`. With `SYMPHONY_AGENT_LB_STICKINESS=true` (default, as',
  'in the BDK) a process sends every call to one agent until it fails; with `false` it picks one per call. The',
  'datafeed (create, list, read, delete, datahose) is always sticky: it stays on its agent until a datafeed call fails',
  'there. `external` takes one URL, your load balancer in front of the agents, and sends every call to it.',
  '',
  'An agent **fails** for a call when there is no connection (refused, reset, DNS, TLS: `SYMPHONY_CONNECTION_FAILED`),',
  "no answer within the call's timeout (`SYMPHONY_TIMEOUT`), or it answers 502, 503 or 504; other 5xx answers count,",
  'and three in a row (no success between them) fail it too. A 4xx, 401, 429 (rate limits are per bot, not per agent) or',
  'a gone feed is an answer, never a failover. A failed agent is left out of the picks for `SYMPHONY_AGENT_NODE_DOWN_MS`',
  '(30 s); the call is sent at once to the next agent that is up, each agent once per attempt; when none is left, the',
  "error goes to the retry policy (`SYMPHONY_RETRY_*`; the ingester's read loop retries for ever), and with every agent",
  'down the next attempt goes to the one that comes back first. With `external`, a failed call is sent again at once',
  'through the load balancer (one more time), which routes a new request to a live agent. A datafeed v2 is not bound',
  'to an agent: the ingester reads it on the next one with the same feed id and ackId, so nothing is lost or',
  'redelivered (docs/ingester.md, "Agent failover"). A v1 feed lives in its agent: on another agent it is gone and',
  'the ingester creates a new one (what the old one held is lost). A send whose agent dies while it is in flight may',
  'have been posted: sent again, it can be posted twice, as with any retry of a send.',
  '',
  "Unlike the BDK's `external` mode, Baton does not ask `/agent/v1/info` for the `serverFqdn` of one agent to call",
  'it directly: it keeps calling the load balancer, which is what routes around a dead agent. (The BDK has an open',
  'issue about this setup: finos/symphony-bdk-java#827, "Datafeed Retry Fails if Agent is down with LB in Front".)',
];

const BDK_FILE_INTRO = [
  '## The BDK config file (`SYMPHONY_CONFIG_FILE`)',
  '',
  'A bot moving from a Symphony BDK keeps its `config.yaml` / `config.json`: set `SYMPHONY_CONFIG_FILE` to its',
  'path. It is read once, when the service parses its configuration, as the BDKs read it (JSON or YAML,',

  `\`$\{NAME}\` / \`$\{NAME:-default}\` interpolation from the environment, \`$$\{x}\` for a literal; a relative path in it`,
  'is relative to the working directory). Its values become the variables below, **under** the environment: a',
  'variable set directly (or as `<NAME>_FILE`) wins, and an authentication, or an agent URL or URL list, set in the',
  "environment replaces the file's whole. Keys Baton reads without effect, and unknown keys, are listed in one warning per group when the",
  'Symphony client starts (`symphony configuration notice`); keys whose loss would change behaviour silently (a',
  'proxy per component, a certificate given as `content`, a PKCS#12/JKS trust store) stop the start with a',
  "message naming `SYMPHONY_CONFIG_FILE` and the key. The ingester, the worker and `baton dev`'s child processes",
  'read it through the shared Symphony variables.',
];

/** docs/configuration.md: one table per service. */
export function configurationMarkdown(): string {
  const parts = [
    '# Configuration',
    '',
    "<!-- Generated by `pnpm docs:config` from the services' zod schemas; a test keeps it in sync. -->",
    '',
    'Every service parses its environment once at start with one zod schema and stops with a message naming each',
    'invalid variable. Any variable can instead be read from a file: set `<NAME>_FILE` to its path (the way to pass',
    'secrets such as `SYMPHONY_PRIVATE_KEY` from Docker or Kubernetes secrets).',
  ];
  for (const { service, schema } of SERVICE_SCHEMAS) {
    parts.push('', `## ${service}`, '', '| Variable | Default | Description |', '|---|---|---|');
    for (const row of describeEnv(schema)) {
      parts.push(`| \`${row.name}\` | ${defaultCell(row)} | ${cell(row.description)} |`);
    }
  }
  parts.push(
    '',
    ...CERTIFICATE_AUTH,
    '',
    ...ON_BEHALF_OF,
    '',
    ...AGENT_LOAD_BALANCING,
    '',
    ...BDK_FILE_INTRO,
    '',
    '| BDK key | Baton variable | Status | Note |',
    '|---|---|---|---|',
  );
  for (const k of BDK_CONFIG_KEYS) {
    const variable = k.variable
      ? k.variable
          .split(', ')
          .map((v) => `\`${v}\``)
          .join(', ')
      : '—';
    parts.push(`| \`${cell(k.key)}\` | ${variable} | ${k.status} | ${cell(k.note)} |`);
  }
  return `${parts.join('\n')}\n`;
}

/** The README's compact table: each variable once, with the services that read it. */
export function readmeTable(): string {
  const rows = new Map<string, { doc: EnvVarDoc; services: string[] }>();
  for (const { service, schema } of SERVICE_SCHEMAS) {
    for (const doc of describeEnv(schema)) {
      const row = rows.get(doc.name);
      if (row) row.services.push(service);
      else rows.set(doc.name, { doc, services: [service] });
    }
  }
  const lines = ['| Variable | Services | Default | Description |', '|---|---|---|---|'];
  for (const { doc, services } of rows.values()) {
    lines.push(
      `| \`${doc.name}\` | ${services.join(', ')} | ${defaultCell(doc)} | ${cell(doc.description)} |`,
    );
  }
  return lines.join('\n');
}

const START = '<!-- config-table:start -->';
const END = '<!-- config-table:end -->';

export function readmeWithTable(readme: string): string {
  const a = readme.indexOf(START);
  const b = readme.indexOf(END);
  if (a < 0 || b < a) throw new Error('README.md lacks the config-table markers');
  return `${readme.slice(0, a + START.length)}\n${readmeTable()}\n${readme.slice(b)}`;
}

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(`${ROOT}docs/configuration.md`, configurationMarkdown());
  const readmePath = `${ROOT}README.md`;
  writeFileSync(readmePath, readmeWithTable(readFileSync(readmePath, 'utf8')));
  console.log('docs/configuration.md and the README configuration table regenerated');
}
