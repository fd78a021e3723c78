import type { BatonEvent } from '@baton/shared';
import type { HandleMeta, RuntimeServices, TaskRun } from '../framework/runtime-services.ts';

/** What the runtime needs from a bot (the framework's `Bot` satisfies it). */
export interface RuntimeBot {
  handle(event: BatonEvent, services: RuntimeServices, meta: HandleMeta): Promise<void>;
  handleTask(task: TaskRun, services: RuntimeServices): Promise<void>;
  /** Polite text posted once after the final failed attempt (undefined = stay silent). */
  failureReply(event: BatonEvent): string | undefined;
}
