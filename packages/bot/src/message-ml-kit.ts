import { escapeMessageML, messageML } from '@baton/shared/messageml';
import * as builders from './message-ml-helpers.ts';

const helpers = { ...builders, escape: escapeMessageML };

/**
 * `ctx.messageML`: the `@baton/shared` MessageML builder in one place — the tagged template itself, with the
 * helpers as properties: ``ctx.messageML`Hi ${ctx.messageML.mention(id)}` ``.
 */
export type MessageMLKit = typeof messageML & typeof helpers;

export const messageMLKit: MessageMLKit = Object.assign(
  (
    strings: TemplateStringsArray,
    ...values: Parameters<typeof messageML> extends [unknown, ...infer R] ? R : never
  ) => messageML(strings, ...values),
  helpers,
);
