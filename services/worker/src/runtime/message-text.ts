import { escapeMessageML } from '@baton/shared';

/**
 * Wraps plain text (a bot's failure text) as MessageML, escaped by the one MessageML escaper
 * (`escapeMessageML`: XML entities and the FreeMarker guard, so `${…}` never reaches the agent's template
 * engine); text that is already a MessageML document passes through unchanged.
 */
export function asMessageML(text: string): string {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('<messageML>')) return text;
  return `<messageML>${escapeMessageML(text)}</messageML>`;
}
