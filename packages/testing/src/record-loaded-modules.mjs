// A preload (`node --import <this file>`, e.g. through NODE_OPTIONS) that records every module the process
// loads: the ES modules through a resolve hook, the CommonJS ones from require's cache. On SIGUSR2 it writes the
// list, one URL or path a line, to the file (atomically) BATON_LOADED_MODULES_FILE names. See loaded-modules.ts.
import { renameSync, writeFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';

const file = process.env.BATON_LOADED_MODULES_FILE;
if (file) {
  const urls = new Set();
  const { port1, port2 } = new MessageChannel();
  port1.on('message', (url) => urls.add(url));
  port1.unref();
  const hook = [
    'let port;',
    'export function initialize(data) { port = data.port; }',
    'export async function resolve(spec, context, next) {',
    '  const r = await next(spec, context); port.postMessage(r.url); return r; }',
  ].join('\n');
  register(`data:text/javascript,${encodeURIComponent(hook)}`, {
    data: { port: port2 },
    transferList: [port2],
  });
  const requireCache = createRequire(import.meta.url).cache;
  process.on('SIGUSR2', () => {
    const all = [...urls, ...Object.keys(requireCache)];
    writeFileSync(`${file}.part`, `${all.join('\n')}\n`);
    renameSync(`${file}.part`, file); // whole or absent for the reader
  });
}
