import type { z } from 'zod';

export interface EnvVarDoc {
  name: string;
  description: string;
  /** The default as text (`undefined` when there is none). */
  default: string | undefined;
  required: boolean;
  /** Whether `<name>_FILE` may be used instead (always true: parseEnv supports it for every variable). */
  fileVariant: string;
}

/** One row per variable of an env schema, for generated docs/README tables. */
export function describeEnv(schema: z.ZodObject): EnvVarDoc[] {
  return Object.entries(schema.shape).map(([name, field]) => {
    const type = field as z.ZodType;
    const meta = (type.meta() ?? {}) as { description?: string; defaultText?: string };
    return {
      name,
      description: meta.description ?? type.description ?? '',
      default: meta.defaultText ?? defaultOf(type),
      required: !type.safeParse(undefined).success,
      fileVariant: `${name}_FILE`,
    };
  });
}

function defaultOf(type: z.ZodType): string | undefined {
  // Walk wrappers (optional, pipe, …) to a `default` node; zod exposes the definition on `_zod.def`.
  let def = type._zod.def as { type: string; defaultValue?: unknown; innerType?: z.ZodType; in?: z.ZodType };
  for (let depth = 0; depth < 5; depth++) {
    if (def.type === 'default' || def.type === 'prefault') {
      const value = def.defaultValue;
      return typeof value === 'string' ? value : JSON.stringify(value);
    }
    const next = def.innerType ?? def.in;
    if (!next) return undefined;
    def = next._zod.def as typeof def;
  }
  return undefined;
}
