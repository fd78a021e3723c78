const COLOURS = [36, 32, 35, 33, 34, 96, 92, 95, 93, 94];
const RESET = '\u001b[0m';

export interface StackOutput {
  /** One line (or several) of the process `name`, prefixed with its name in its colour. */
  process(name: string, text: string, opts?: { level?: number; stderr?: boolean }): void;
  /** The orchestrator's own messages. */
  info(text: string): void;
  warn(text: string): void;
  error(text: string): void;
}

export interface StackOutputOptions {
  write(text: string): void;
  /** ANSI colours (default: off). */
  colour?: boolean;
  /** Width of the name column. */
  width?: number;
}

/**
 * The terminal UI of `baton dev`: every line prefixed by the process name (padded, one colour per process);
 * warnings and errors of the services in yellow / red.
 */
export function createStackOutput(opts: StackOutputOptions): StackOutput {
  const colours = new Map<string, number>();
  const width = opts.width ?? 13;
  const paint = (code: number, s: string): string => (opts.colour ? `\u001b[${code}m${s}${RESET}` : s);
  const colourOf = (name: string): number => {
    let c = colours.get(name);
    if (c === undefined) {
      c = COLOURS[colours.size % COLOURS.length] as number;
      colours.set(name, c);
    }
    return c;
  };
  const emit = (prefix: string, text: string, bodyColour?: number): void => {
    const lines = text.split('\n').map((l) => `${prefix} ${bodyColour ? paint(bodyColour, l) : l}`);
    opts.write(`${lines.join('\n')}\n`);
  };
  const own = (code: number, text: string) => emit(paint(1, paint(code, 'baton'.padEnd(width))) + ' |', text);
  return {
    process(name, text, o = {}) {
      const prefix = `${paint(colourOf(name), name.padEnd(width))} |`;
      const level = o.level ?? 0;
      emit(prefix, text, level >= 50 ? 31 : level >= 40 ? 33 : undefined);
    },
    info: (text) => own(37, text),
    warn: (text) => own(33, text),
    error: (text) => own(31, text),
  };
}
