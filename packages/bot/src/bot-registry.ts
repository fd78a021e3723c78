import { type AllowList, toAllowList } from './allow-list.ts';
import { createCommandRegistry } from './command-registry.ts';
import type {
  CommandHandler,
  CommandSpec,
  EventType,
  FormHandler,
  ListenerHandler,
  Middleware,
  StepHandler,
  TaskHandler,
} from './context.ts';
import { DuplicateRegistrationError } from './errors.ts';
import { parseCommandPattern } from './parse-command-pattern.ts';

// Handlers are stored type-erased; `command()` checks the argument types at the call site.
type AnyCommandHandler = CommandHandler<Record<string, unknown>>;

/** A registered command as the planner reads it. */
export interface StoredCommand {
  description: string;
  examples: string[];
  handler: AnyCommandHandler;
  allow: AllowList | undefined;
  hidden: boolean;
  builtIn: boolean;
}

/** Everything a bot has registered: commands, listeners, forms, tasks, steps and middleware. */
export interface BotRegistry {
  readonly commands: ReturnType<typeof createCommandRegistry<StoredCommand>>;
  readonly listeners: Map<EventType, ListenerHandler[]>;
  readonly forms: Map<string, FormHandler>;
  readonly tasks: Map<string, TaskHandler>;
  readonly steps: Map<string, StepHandler>;
  readonly middlewares: Middleware[];
  addCommand(pattern: string, spec: StoredCommand): void;
  addSpec<P extends string>(pattern: P, spec: CommandSpec<P>): void;
  addListener(type: EventType, handler: ListenerHandler): void;
  addForm(formId: string, handler: FormHandler): void;
  addTask(name: string, handler: TaskHandler): void;
  addStep(name: string, handler: StepHandler): void;
}

/** The registration half of a bot: validates patterns and refuses duplicates at startup. */
export function createBotRegistry(): BotRegistry {
  const commands = createCommandRegistry<StoredCommand>();
  const listeners = new Map<EventType, ListenerHandler[]>();
  const forms = new Map<string, FormHandler>();
  const tasks = new Map<string, TaskHandler>();
  const steps = new Map<string, StepHandler>();
  const addUnique = <H>(map: Map<string, H>, kind: string, name: string, handler: H) => {
    if (map.has(name)) throw new DuplicateRegistrationError(kind, name);
    map.set(name, handler);
  };
  const registry: BotRegistry = {
    commands,
    listeners,
    forms,
    tasks,
    steps,
    middlewares: [],
    addCommand(pattern, spec) {
      const parsed = parseCommandPattern(pattern);
      commands.add(parsed, spec, { replace: commands.get(parsed.name)?.spec.builtIn === true });
    },
    addSpec(pattern, spec) {
      registry.addCommand(pattern, {
        description: spec.description,
        examples: spec.examples ?? [],
        handler: spec.handler as unknown as AnyCommandHandler,
        allow: spec.allow ? toAllowList(spec.allow) : undefined,
        hidden: spec.hidden ?? false,
        builtIn: false,
      });
    },
    addListener(type, handler) {
      const list = listeners.get(type) ?? [];
      list.push(handler);
      listeners.set(type, list);
    },
    addForm: (formId, handler) => addUnique(forms, 'form', formId, handler),
    addTask: (name, handler) => addUnique(tasks, 'task', name, handler),
    addStep: (name, handler) => addUnique(steps, 'step', name, handler),
  };
  return registry;
}
