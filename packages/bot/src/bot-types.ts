import type { BatonEvent } from '@baton/shared/events';
import type {
  CommandSpec,
  EventOf,
  EventType,
  FormHandler,
  ListenerHandler,
  Middleware,
  StepHandler,
  TaskHandler,
} from './context.ts';
import type {
  BotIdentity,
  BotUser,
  HandleMeta,
  RuntimeBot,
  RuntimeServices,
  TaskRun,
} from './runtime-contract.ts';

export interface BotOptions {
  /** Require an @mention of the bot for commands in IMs too (rooms always require it). Default false. */
  requireMentionInIm?: boolean;
  /** Ignore events initiated by the bot itself (its own messages included). Default true. */
  ignoreSelf?: boolean;
  /** Register the generated `/help` command. Default true (a later `command('/help', …)` overrides it). */
  help?: boolean;
  /** Bot name used in help and hints (default: the bot user's display name). */
  name?: string;
  /**
   * Identity of the bot in heartbeats and on the dashboard (default: `name`, else the module the worker
   * loaded). A worker refuses to start beside live workers of another bot id on the same queue prefix.
   */
  id?: string;
  /** The bot's version (e.g. its package.json `version`), shown per worker on the dashboard. */
  version?: string;
  /** TTL of conversation state and pending steps, in seconds. Default 600. */
  conversationTtlSec?: number;
  /** Text posted once by the runtime after an addressed message finally failed; `false` = stay silent. */
  failureText?: string | false;
  /** `ctx.download`'s bound in bytes (a call may pass its own `maxBytes`). Default 10 MiB. */
  maxDownloadBytes?: number;
  /**
   * File types replies may carry, as extensions (`['.csv', '.txt']`; your pod's list is `GET
   * /pod/v1/files/allowedTypes`). Default: any type (the pod refuses what it does not allow).
   */
  allowedAttachmentTypes?: string[];
}

/** Summary of a registered command (for /help and tooling). */
export interface CommandInfo {
  /** The literal prefix, e.g. `/room create`. */
  name: string;
  /** The pattern as registered. */
  pattern: string;
  /** Human usage line, e.g. `/room create <name> [@members…]`. */
  usage: string;
  description: string;
  examples: string[];
  hidden: boolean;
}

export interface Bot extends RuntimeBot {
  command<P extends string>(pattern: P, spec: CommandSpec<P>): Bot;
  on<T extends EventType>(type: T, handler: ListenerHandler<EventOf<T>>): Bot;
  form(formId: string, handler: FormHandler): Bot;
  task(name: string, handler: TaskHandler): Bot;
  /** A dialog step, entered by `ctx.expect(name)`: receives the user's next plain message in that stream. */
  step(name: string, handler: StepHandler): Bot;
  use(middleware: Middleware): Bot;
  /** Runs one event. Throws if a handler throws (the runtime retries, then dead-letters). */
  handle(event: BatonEvent, services: RuntimeServices, meta: HandleMeta): Promise<void>;
  handleTask(task: TaskRun, services: RuntimeServices): Promise<void>;
  /** Polite text the runtime posts once after the final failed attempt (undefined = stay silent). */
  failureReply(event: BatonEvent, botUser: BotUser): string | undefined;
  /** The registered commands. */
  commands(): CommandInfo[];
  /** Name and sorted command patterns (the runtime's heartbeat carries them, with a fingerprint). */
  identity(): BotIdentity;
}
