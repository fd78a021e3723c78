import { TemplateError } from './template-error.ts';

/** The values a template may use, as `{{name}}`. Kept tiny on purpose. */
export interface TemplateValues {
  /** The bot's package name. */
  name: string;
  /** The version range (or spec) of the `@baton/*` packages. */
  batonVersion: string;
}

const PLACEHOLDER = /\{\{(\w+)\}\}/g;

/** Replaces every `{{key}}` of `text`; an unknown key throws a TemplateError naming the file. */
export function renderTemplate(text: string, values: TemplateValues, file: string): string {
  return text.replace(PLACEHOLDER, (_whole, key: string) => {
    if (!Object.hasOwn(values, key)) {
      throw new TemplateError(`template ${file} uses an unknown placeholder {{${key}}}`);
    }
    return values[key as keyof TemplateValues];
  });
}
