export { toStandardId, toUrlSafeId } from './normalize-id.ts';
