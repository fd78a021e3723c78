import type { z } from 'zod';
import type { EVENT_SCHEMAS } from './event-schemas.ts';
import type { EventType } from './event-types.ts';

/** A validated, normalised real-time event of one type. */
export type EventOf<T extends EventType> = z.output<(typeof EVENT_SCHEMAS)[T]>;

/** Every real-time event Baton handles, discriminated on `type`. */
export type BatonEvent = { [T in EventType]: EventOf<T> }[EventType];

export type MessageSentEvent = EventOf<'MESSAGESENT'>;
export type MessageSuppressedEvent = EventOf<'MESSAGESUPPRESSED'>;
export type SymphonyElementsActionEvent = EventOf<'SYMPHONYELEMENTSACTION'>;
export type SharedPostEvent = EventOf<'SHAREDPOST'>;
export type InstantMessageCreatedEvent = EventOf<'INSTANTMESSAGECREATED'>;
export type RoomCreatedEvent = EventOf<'ROOMCREATED'>;
export type RoomUpdatedEvent = EventOf<'ROOMUPDATED'>;
export type RoomDeactivatedEvent = EventOf<'ROOMDEACTIVATED'>;
export type RoomReactivatedEvent = EventOf<'ROOMREACTIVATED'>;
export type UserJoinedRoomEvent = EventOf<'USERJOINEDROOM'>;
export type UserLeftRoomEvent = EventOf<'USERLEFTROOM'>;
export type RoomMemberPromotedToOwnerEvent = EventOf<'ROOMMEMBERPROMOTEDTOOWNER'>;
export type RoomMemberDemotedFromOwnerEvent = EventOf<'ROOMMEMBERDEMOTEDFROMOWNER'>;
export type UserRequestedToJoinRoomEvent = EventOf<'USERREQUESTEDTOJOINROOM'>;
export type ConnectionRequestedEvent = EventOf<'CONNECTIONREQUESTED'>;
export type ConnectionAcceptedEvent = EventOf<'CONNECTIONACCEPTED'>;
export type GenericSystemEvent = EventOf<'GENERICSYSTEMEVENT'>;
