import type { DispatchKind } from './context.ts';

/** What one event will run, decided before the middleware chain (which can read `kind` and `command`). */
export interface DispatchPlan {
  kind: DispatchKind;
  command?: string;
  /**
   * A MESSAGESENT's plan: whether the message was addressed to the bot (it mentions the bot, or came in an IM
   * unless `requireMentionInIm`). The failure reply for the event reuses it.
   */
  addressed?: boolean;
  run: () => Promise<void>;
}

/** A plan that runs nothing (the listeners still run). */
export const NOTHING_TO_RUN: () => Promise<void> = async () => {};
