export { card, list, table } from './block-helpers.ts';
export { escapeMessageML } from './escape-message-ml.ts';
export {
  type ButtonOptions,
  button,
  type ChoiceOptions,
  checkbox,
  form,
  radio,
  type SelectOption,
  select,
  TEXT_FIELD_MAX_LENGTH,
  type TextAreaOptions,
  type TextFieldOptions,
  textArea,
  textField,
} from './form-builder.ts';
export { type Content, Fragment } from './fragment.ts';
export { bold, cashtag, code, hashtag, italic, link, mention } from './inline-helpers.ts';
export { InvalidMarkupError, type InvalidMarkupReason } from './invalid-markup-error.ts';
export { InvalidMessageMlInputError } from './invalid-message-ml-input-error.ts';
export { messageML } from './message-ml-template.ts';
export {
  CASHTAG_TYPE,
  type EntityData,
  type EntityRef,
  HASHTAG_TYPE,
  MENTION_TYPE,
  parseEntities,
} from './parse-entities.ts';
export { presentationMlToText } from './presentation-ml-to-text.ts';
export { toMessage } from './to-message.ts';
export type { Token } from './token.ts';
export { type CommandInput, parseCommandInput } from './tokenize-command.ts';
export { tokenizeMessage } from './tokenize-message.ts';
export { MAX_MARKUP_DEPTH } from './walk-presentation-ml.ts';
