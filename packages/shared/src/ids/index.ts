export { toStandardId, toUrlSafeId } from './normalize-id.ts';
export {
  checkSymphonyId,
  SYMPHONY_ID_BYTES,
  type SymphonyIdCheck,
  URL_SAFE_ID_LENGTH,
} from './symphony-id.ts';
