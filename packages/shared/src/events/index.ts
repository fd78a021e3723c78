export type * from './baton-event.ts';
export { canonicalJson } from './canonical-json.ts';
export { eventKey } from './event-key.ts';
export { PAYLOAD_SCHEMAS } from './event-payloads.ts';
export { EVENT_SCHEMAS } from './event-schemas.ts';
export { EVENT_TYPES, type EventType, isEventType, PAYLOAD_KEY_BY_TYPE } from './event-types.ts';
export { initiatorUserId } from './initiator-user-id.ts';
export { DEFAULT_JSON_BOUNDS, exceedsJsonBounds, type JsonBounds } from './json-bounds.ts';
export { orderingKeyOf } from './ordering-key.ts';
export { type InvalidEvent, type ParsedEvent, parseEvent } from './parse-event.ts';
export {
  type RawMessageSentOptions,
  type RawUser,
  rawMessageSent,
  rawV4Message,
} from './raw-message-sent.ts';
export { MAX_ATTACHMENTS, type V4Attachment, v4AttachmentSchema } from './v4-attachment.ts';
export { type V4Message, v4MessageSchema } from './v4-message.ts';
export { type V4RoomProperties, v4RoomPropertiesSchema } from './v4-room-properties.ts';
export { type V4Stream, v4StreamSchema } from './v4-stream.ts';
export { type V4User, v4UserSchema } from './v4-user.ts';
