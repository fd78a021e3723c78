/** Each real-time event type and the single key its `payload` carries (symphony-api.md §5). */
export const PAYLOAD_KEY_BY_TYPE = {
  MESSAGESENT: 'messageSent',
  MESSAGESUPPRESSED: 'messageSuppressed',
  SYMPHONYELEMENTSACTION: 'symphonyElementsAction',
  SHAREDPOST: 'sharedPost',
  INSTANTMESSAGECREATED: 'instantMessageCreated',
  ROOMCREATED: 'roomCreated',
  ROOMUPDATED: 'roomUpdated',
  ROOMDEACTIVATED: 'roomDeactivated',
  ROOMREACTIVATED: 'roomReactivated',
  USERJOINEDROOM: 'userJoinedRoom',
  USERLEFTROOM: 'userLeftRoom',
  ROOMMEMBERPROMOTEDTOOWNER: 'roomMemberPromotedToOwner',
  ROOMMEMBERDEMOTEDFROMOWNER: 'roomMemberDemotedFromOwner',
  USERREQUESTEDTOJOINROOM: 'userRequestedToJoinRoom',
  CONNECTIONREQUESTED: 'connectionRequested',
  CONNECTIONACCEPTED: 'connectionAccepted',
  GENERICSYSTEMEVENT: 'genericSystemEvent',
} as const;

export type EventType = keyof typeof PAYLOAD_KEY_BY_TYPE;

/** All 17 real-time event types Baton understands. */
export const EVENT_TYPES = Object.freeze(Object.keys(PAYLOAD_KEY_BY_TYPE) as EventType[]);

export function isEventType(value: unknown): value is EventType {
  return typeof value === 'string' && Object.hasOwn(PAYLOAD_KEY_BY_TYPE, value);
}
