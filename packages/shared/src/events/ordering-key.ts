import type { BatonEvent } from './baton-event.ts';

/**
 * The key events are ordered by: the stream id (already URL-safe), or `user:<initiator userId>` for the two
 * connection events, which have no stream.
 */
export function orderingKeyOf(event: BatonEvent): string {
  switch (event.type) {
    case 'MESSAGESENT':
      return event.payload.messageSent.message.stream.streamId;
    case 'SHAREDPOST':
      return event.payload.sharedPost.message.stream.streamId;
    case 'MESSAGESUPPRESSED':
      return event.payload.messageSuppressed.stream.streamId;
    case 'SYMPHONYELEMENTSACTION':
      return event.payload.symphonyElementsAction.stream.streamId;
    case 'INSTANTMESSAGECREATED':
      return event.payload.instantMessageCreated.stream.streamId;
    case 'ROOMCREATED':
      return event.payload.roomCreated.stream.streamId;
    case 'ROOMUPDATED':
      return event.payload.roomUpdated.stream.streamId;
    case 'ROOMDEACTIVATED':
      return event.payload.roomDeactivated.stream.streamId;
    case 'ROOMREACTIVATED':
      return event.payload.roomReactivated.stream.streamId;
    case 'USERJOINEDROOM':
      return event.payload.userJoinedRoom.stream.streamId;
    case 'USERLEFTROOM':
      return event.payload.userLeftRoom.stream.streamId;
    case 'ROOMMEMBERPROMOTEDTOOWNER':
      return event.payload.roomMemberPromotedToOwner.stream.streamId;
    case 'ROOMMEMBERDEMOTEDFROMOWNER':
      return event.payload.roomMemberDemotedFromOwner.stream.streamId;
    case 'USERREQUESTEDTOJOINROOM':
      return event.payload.userRequestedToJoinRoom.stream.streamId;
    case 'GENERICSYSTEMEVENT':
      return event.payload.genericSystemEvent.stream.streamId;
    case 'CONNECTIONREQUESTED':
    case 'CONNECTIONACCEPTED':
      return `user:${event.initiator.user.userId}`;
  }
}
