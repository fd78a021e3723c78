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
      const sleep = /^sleep:(\d+)/.exec(text);
      if (sleep) await new Promise((r) => setTimeout(r, Number(sleep[1])));
      if (text.startsWith('silent')) return;
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
