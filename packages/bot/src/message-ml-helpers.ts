// The MessageML helpers a bot builds replies with: `@baton/bot` exports them and `ctx.messageML` carries them
// (one list for both, so the two cannot drift apart).
export {
  bold,
  button,
  card,
  cashtag,
  checkbox,
  code,
  form,
  hashtag,
  italic,
  link,
  list,
  mention,
  radio,
  select,
  table,
  textArea,
  textField,
} from '@baton/shared/messageml';
