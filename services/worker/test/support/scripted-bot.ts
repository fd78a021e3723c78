import { setTimeout as sleep } from 'node:timers/promises';
import type { HandleMeta, RuntimeBot, RuntimeServices, TaskRun } from '@baton/bot';
import { type BatonEvent, presentationMlToText } from '@baton/shared';

export interface HandledRecord {
  streamId: string;
  text: string;
  attempt: number;
  eventKey: string;
  at: number;
}

/**
 * A bot for runtime tests, driven by the message text:
 * - `fail…`: throws, while `state.failing` (default true) and the state key `fixed` is not `true`;
 * - `sleep:<ms>…`: waits that long, then replies;
 * - `silent…`: handles without replying;
 * - `huge…`: replies a message over Symphony's 1.5 MB (MessageML + data), which can never be sent;
 * - anything else: replies `echo <text>`.
 * Records every attempt in `handled`, and tasks in `tasks`.
 */
export function createScriptedBot() {
  const handled: HandledRecord[] = [];
  const tasks: TaskRun[] = [];
  const state = { failing: true };
  const bot: RuntimeBot & { handled: HandledRecord[]; tasks: TaskRun[]; state: { failing: boolean } } = {
    handled,
    tasks,
    state,
    async handle(event: BatonEvent, services: RuntimeServices, meta: HandleMeta) {
      if (event.initiator?.user?.userId === services.botUser.userId) return; // the bot's own messages
      const message = event.type === 'MESSAGESENT' ? event.payload.messageSent.message : undefined;
      const text = message ? presentationMlToText(message.message) : event.type;
      const streamId = message?.stream.streamId ?? 'unknown';
      handled.push({ streamId, text, attempt: meta.attempt, eventKey: meta.eventKey, at: Date.now() });
      if (text.startsWith('fail') && state.failing && (await services.state.get('fixed')) !== true) {
        throw new Error(`scripted failure: ${text}`);
      }
      const pause = /^sleep:(\d+)/.exec(text);
      if (pause) await sleep(Number(pause[1]));
      if (text.startsWith('silent')) return;
      if (text.startsWith('huge')) {
        await services.replies.send(streamId, { message: `<messageML>${'x'.repeat(1_600_000)}</messageML>` });
        return;
      }
      await services.replies.send(streamId, { message: `<messageML>echo ${text}</messageML>` });
    },
    async handleTask(task: TaskRun, services: RuntimeServices) {
      tasks.push(task);
      if (task.name.startsWith('fail') && state.failing && (await services.state.get('fixed')) !== true) {
        throw new Error(`scripted task failure: ${task.name}`);
      }
      await services.replies.send(task.streamId, { message: `<messageML>task ${task.name}</messageML>` });
    },
    failureReply() {
      return 'Sorry, something went wrong handling that message.';
    },
  };
  return bot;
}
