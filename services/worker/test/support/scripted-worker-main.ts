import { createLogger, type SymphonyClient } from '@baton/shared';
import { Redis } from 'ioredis';
import { loadConfig } from '../../src/config.ts';
import { runWorkerProcess } from '../../src/runtime/worker-process.ts';
import { createScriptedBot } from './scripted-bot.ts';

// A worker process running the scripted test bot (chaos and ordering tests spawn several of these).
// Fault injection: a reply whose text contains `crash-after-post` is posted, then this process SIGKILLs itself
// before the "post done" mark is written (once per reply text, across all processes).
const config = loadConfig();
const logger = createLogger({ level: config.LOG_LEVEL, name: `worker-${config.WORKER_ID}` });
const faults = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null });

function crashAfterPost(client: SymphonyClient): SymphonyClient {
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop !== 'sendMessage') return Reflect.get(target, prop, receiver);
      const send: SymphonyClient['sendMessage'] = async (streamId, msg, opts) => {
        const out = await target.sendMessage(streamId, msg, opts);
        if (msg.message.includes('crash-after-post')) {
          const first = await faults.set(`${config.BATON_PREFIX}:test:crashed:${msg.message}`, '1', 'NX');
          if (first === 'OK') process.kill(process.pid, 'SIGKILL');
        }
        return out;
      };
      return send;
    },
  });
}

await runWorkerProcess(config, { bot: createScriptedBot(), logger, wrapClient: crashAfterPost });
