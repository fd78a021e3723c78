import { toAllowList } from './allow-list.js';
import { createCommandRegistry } from './command-registry.js';
import { DuplicateRegistrationError } from './errors.js';
import { parseCommandPattern } from './parse-command-pattern.js';
/** The registration half of a bot: validates patterns and refuses duplicates at startup. */
export function createBotRegistry() {
  const commands = createCommandRegistry();
  const listeners = new Map();
  const forms = new Map();
  const tasks = new Map();
  const steps = new Map();
  const addUnique = (map, kind, name, handler) => {
    if (map.has(name)) throw new DuplicateRegistrationError(kind, name);
    map.set(name, handler);
  };
  const registry = {
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
        handler: spec.handler,
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
//# sourceMappingURL=bot-registry.js.map
