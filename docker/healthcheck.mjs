// Container health probe (Dockerfile HEALTHCHECK and docker-compose.yml healthchecks).
// Slim Node images have no curl/wget, so this is plain node: exit 0 when `/healthz` answers 2xx.
//
// Which URL: HEALTHCHECK_URL when set; otherwise http://127.0.0.1:<port>/healthz where the port is the
// service's own port variable, chosen by BATON_SERVICE (set by the Dockerfile from its SERVICE arg)
// (the pod simulator is probed on /_sim/stats).
// An https URL is probed without certificate verification: it only asks "is my own process up?".
import http from 'node:http';
import https from 'node:https';

const portVariable = {
  ingester: 'OPS_PORT',
  worker: 'OPS_PORT',
  dashboard: 'DASHBOARD_PORT',
  'pod-simulator': 'SIM_PORT',
};
// The services' own defaults (their config schemas), used when the variable is unset.
const defaultPort = {
  ingester: '9464',
  worker: '9464',
  dashboard: '3100',
  'pod-simulator': '8443',
};
// The simulator has no /healthz; its control API answers whenever it serves (and is exempt from faults).
const probePath = {
  'pod-simulator': '/_sim/stats',
};

const service = process.env.BATON_SERVICE ?? '';
const port = process.env[portVariable[service] ?? 'OPS_PORT'] || defaultPort[service] || '9464';
const path = probePath[service] ?? '/healthz';
const url = new URL(process.env.HEALTHCHECK_URL || `http://127.0.0.1:${port}${path}`);
const client = url.protocol === 'https:' ? https : http;

const request = client.get(url, { timeout: 4000, rejectUnauthorized: false }, (response) => {
  response.resume();
  const ok = (response.statusCode ?? 500) >= 200 && (response.statusCode ?? 500) < 300;
  if (!ok) console.error(`healthcheck: ${url.pathname} answered ${response.statusCode}`);
  process.exit(ok ? 0 : 1);
});
request.on('timeout', () => {
  console.error('healthcheck: timed out');
  request.destroy();
  process.exit(1);
});
request.on('error', (error) => {
  console.error(`healthcheck: ${error.message}`);
  process.exit(1);
});
