// The error convention every Baton package follows (pure: no Redis, no HTTP client).
export { BatonError } from './baton-error.ts';
export { redactSecrets } from './redact-secrets.ts';
export { type SerializedError, serializeError } from './serialize-error.ts';
