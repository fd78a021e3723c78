export { abortableSleep } from './abortable-sleep.ts';
export {
  type AgentLane,
  type AgentLoadBalancingMode,
  type AgentNodeEvent,
  type AgentNodeSelector,
  type AgentNodeSelectorConfig,
  createAgentNodeSelector,
  type NodeStatus,
  type NodeVerdict,
  nodeVerdict,
  SERVER_ERROR_STORM,
} from './agent-node-selector.ts';
export {
  type AttachmentLimits,
  checkAttachments,
  DEFAULT_ATTACHMENT_LIMITS,
  DEFAULT_MAX_DOWNLOAD_BYTES,
  extensionOf,
} from './attachment-limits.ts';
export {
  type AgentLoadBalancing,
  type ClientCertificate,
  DEFAULT_AGENT_NODE_DOWN_MS,
  DEFAULT_DATAFEED_TIMEOUT_MS,
  DEFAULT_TIMEOUT_MS,
  resolveClientConfig,
  type SymphonyClientConfig,
} from './client-config.ts';
export { type ClosableOboClients, createOboClients, type OboClientConfig } from './create-obo-clients.ts';
export { type ClosableSymphonyClient, createSymphonyClient } from './create-symphony-client.ts';
export {
  AbortedError,
  AttachmentLimitError,
  AttachmentTooLargeError,
  AuthenticationRejectedError,
  ClientError,
  ConnectionError,
  FeedGoneError,
  FeedLimitError,
  MessageTooLargeError,
  MessageUpdateRefusedError,
  RateLimitedError,
  ResponseTooLargeError,
  ServerError,
  SymphonyError,
  TimeoutError,
  UnauthorizedError,
} from './errors.ts';
export { AUTH_JWT_LIFETIME_SECONDS, createAuthJwt, loadPrivateKey } from './jwt.ts';
export { type HttpFailureContext, mapHttpError, parseRetryAfter } from './map-http-error.ts';
export { buildMessageForm } from './message-form.ts';
export { checkMessageSize, MAX_MESSAGE_BYTES, messageBytes } from './message-limits.ts';
export { AppAuthenticationRejectedError, OboUserRejectedError } from './obo-errors.ts';
export {
  createOboSessionManager,
  DEFAULT_OBO_MAX_SESSIONS,
  DEFAULT_OBO_SESSION_MAX_AGE_MS,
  type OboSessionManager,
  oboUserKey,
} from './obo-session-manager.ts';
export { raceSignal } from './race-signal.ts';
export {
  capRetryAfter,
  DEFAULT_RETRY_POLICY,
  decideRetry,
  isRetryable,
  type JitterMode,
  type RetryDecision,
  type RetryPolicyWithJitter,
  retryDelayMs,
} from './retry-policy.ts';
export { newTraceId } from './trace-id.ts';
export type * from './types.ts';
