import {
  bold,
  button,
  card,
  cashtag,
  checkbox,
  code,
  escapeMessageML,
  form,
  hashtag,
  italic,
  link,
  list,
  mention,
  messageML,
  radio,
  select,
  table,
  textArea,
  textField,
} from '@baton/shared/messageml';

const helpers = {
  bold,
  italic,
  code,
  link,
  mention,
  hashtag,
  cashtag,
  list,
  table,
  card,
  form,
  button,
  textField,
  textArea,
  select,
  radio,
  checkbox,
  escape: escapeMessageML,
};

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
