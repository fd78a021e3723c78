/**
 * Symphony's response schemas, transcribed by us (Baton) from finos/symphony-api-spec (Apache-2.0, FINOS) at commit
 * cae97040ff4a53bc991f90c6bbcf9a356fd85739: only what the spec declares of each schema the pod simulator answers
 * with (property names, types, `required`, enums, item and map types), as JSON Schema (draft-07). No description,
 * example or format is carried over; `format: byte` (base64) is expressed by the attachment entry of the contract.
 *
 * A definition is named `<namespace>.<spec name>`; the namespace says which spec file it was transcribed from
 * (`SPEC_FILES`). `tools/spec-contract/check-transcription.ts` compares every definition here with that file.
 */

/** A JSON Schema (draft-07) object, as ajv takes it. */
export type JsonSchema = { [keyword: string]: unknown };

/** Namespace → the spec file (path inside finos/symphony-api-spec) its definitions come from. */
export const SPEC_FILES = {
  login: 'login/login-api-public.yaml',
  auth: 'authenticator/authenticator-api-public.yaml',
  pod: 'pod/pod-api-public.yaml',
  agent: 'agent/agent-api-public.yaml',
  agentDeprecated: 'agent/agent-api-public-deprecated.yaml',
} as const;

export type SpecNamespace = keyof typeof SPEC_FILES;

/** The commit of finos/symphony-api-spec the schemas and the contract were transcribed from. */
export const SPEC_COMMIT = 'cae97040ff4a53bc991f90c6bbcf9a356fd85739';

const ref = (name: string): JsonSchema => ({ $ref: `#/definitions/${name}` });
const str: JsonSchema = { type: 'string' };
const int: JsonSchema = { type: 'integer' };
const bool: JsonSchema = { type: 'boolean' };
const obj = (properties: Record<string, JsonSchema>, required?: string[]): JsonSchema => ({
  type: 'object',
  ...(required ? { required } : {}),
  properties,
});
const arrayOf = (items: JsonSchema): JsonSchema => ({ type: 'array', items });

const token = obj({ name: str, token: str, authorizationToken: str });
const error = obj({ code: int, message: str });

/** Every transcribed definition, by `<namespace>.<spec name>`. */
export const definitions: Record<string, JsonSchema> = {
  // login/login-api-public.yaml `definitions`
  'login.Token': token,
  'login.Error': error,
  // authenticator/authenticator-api-public.yaml `definitions`
  'auth.Token': token,
  'auth.Error': error,

  // pod/pod-api-public.yaml `definitions`
  'pod.Error': error,
  'pod.UserV2': obj({
    id: int,
    emailAddress: str,
    firstName: str,
    lastName: str,
    displayName: str,
    title: str,
    company: str,
    username: str,
    location: str,
    accountType: { type: 'string', enum: ['NORMAL', 'SYSTEM', 'SDL'] },
    avatars: ref('pod.AvatarList'),
    workPhoneNumber: str,
    mobilePhoneNumber: str,
    jobFunction: str,
    department: str,
    division: str,
    roles: ref('pod.StringList'),
    userMetadata: { type: 'object', additionalProperties: { type: 'object' } },
  }),
  'pod.AvatarList': arrayOf(ref('pod.Avatar')),
  'pod.Avatar': obj({ size: str, url: str }),
  'pod.StringList': arrayOf(str),
  'pod.V2UserList': obj({ users: arrayOf(ref('pod.UserV2')), errors: arrayOf(ref('pod.UserError')) }),
  'pod.UserError': obj({ error: str, email: str, id: str }),
  'pod.Stream': obj({ id: str }),
  'pod.V3RoomDetail': obj({
    roomAttributes: ref('pod.V3RoomAttributes'),
    roomSystemInfo: ref('pod.RoomSystemInfo'),
    groups: arrayOf(ref('pod.GroupItem')),
  }),
  'pod.V3RoomAttributes': obj({
    name: str,
    keywords: arrayOf(ref('pod.RoomTag')),
    description: str,
    membersCanInvite: bool,
    discoverable: bool,
    public: bool,
    readOnly: bool,
    copyProtected: bool,
    crossPod: bool,
    viewHistory: bool,
    multiLateralRoom: bool,
    scheduledMeeting: bool,
    subType: str,
    pinnedMessageId: str,
    groupChat: bool,
  }),
  // The spec gives RoomTag no `type`.
  'pod.RoomTag': { required: ['key', 'value'], properties: { key: str, value: str } },
  'pod.RoomSystemInfo': obj({ id: str, creationDate: int, createdByUserId: int, active: bool }),
  'pod.GroupItem': obj({ id: int, addedBy: int }),
  'pod.SuccessResponse': obj({ format: { type: 'string', enum: ['TEXT', 'XML'] }, message: str }),
  'pod.StreamList': arrayOf(ref('pod.StreamAttributes')),
  'pod.StreamAttributes': obj({
    id: str,
    crossPod: bool,
    active: bool,
    streamType: ref('pod.StreamType'),
    streamAttributes: ref('pod.ConversationSpecificStreamAttributes'),
    roomAttributes: ref('pod.RoomSpecificStreamAttributes'),
  }),
  'pod.StreamType': obj({ type: { type: 'string', enum: ['IM', 'MIM', 'ROOM', 'POST'] } }),
  'pod.ConversationSpecificStreamAttributes': obj({ members: ref('pod.UserIdList') }),
  'pod.UserIdList': arrayOf(int),
  'pod.RoomSpecificStreamAttributes': obj({ name: str }),

  // agent/agent-api-public.yaml `components.schemas`
  'agent.V2Error': obj({ code: int, message: str, details: { type: 'object' } }, ['code', 'message']),
  'agent.Error': error,
  'agent.V5Datafeed': obj({ id: str, createdAt: int, type: str }),
  'agent.V5EventList': obj({ events: arrayOf(ref('agent.V4Event')), ackId: str }),
  'agent.V4Event': obj({
    id: str,
    messageId: str,
    timestamp: int,
    type: str,
    diagnostic: str,
    initiator: ref('agent.V4Initiator'),
    payload: ref('agent.V4Payload'),
  }),
  'agent.V4Initiator': obj({ user: ref('agent.V4User') }),
  'agent.V4User': obj({
    userId: int,
    firstName: str,
    lastName: str,
    displayName: str,
    email: str,
    username: str,
  }),
  'agent.V4Payload': obj({
    messageSent: ref('agent.V4MessageSent'),
    sharedPost: ref('agent.V4SharedPost'),
    instantMessageCreated: ref('agent.V4InstantMessageCreated'),
    roomCreated: ref('agent.V4RoomCreated'),
    roomUpdated: ref('agent.V4RoomUpdated'),
    roomDeactivated: ref('agent.V4RoomDeactivated'),
    roomReactivated: ref('agent.V4RoomReactivated'),
    userJoinedRoom: ref('agent.V4UserJoinedRoom'),
    userLeftRoom: ref('agent.V4UserLeftRoom'),
    roomMemberPromotedToOwner: ref('agent.V4RoomMemberPromotedToOwner'),
    roomMemberDemotedFromOwner: ref('agent.V4RoomMemberDemotedFromOwner'),
    connectionRequested: ref('agent.V4ConnectionRequested'),
    connectionAccepted: ref('agent.V4ConnectionAccepted'),
    messageSuppressed: ref('agent.V4MessageSuppressed'),
    symphonyElementsAction: ref('agent.V4SymphonyElementsAction'),
    userRequestedToJoinRoom: ref('agent.V4UserRequestedToJoinRoom'),
    genericSystemEvent: ref('agent.V4GenericSystemEvent'),
  }),
  'agent.V4MessageSent': obj({ message: ref('agent.V4Message') }),
  'agent.V4SharedPost': obj({ message: ref('agent.V4Message'), sharedMessage: ref('agent.V4Message') }),
  'agent.V4InstantMessageCreated': obj({ stream: ref('agent.V4Stream') }),
  'agent.V4RoomCreated': obj({
    stream: ref('agent.V4Stream'),
    roomProperties: ref('agent.V4RoomProperties'),
  }),
  'agent.V4RoomUpdated': obj({
    stream: ref('agent.V4Stream'),
    newRoomProperties: ref('agent.V4RoomProperties'),
  }),
  'agent.V4RoomDeactivated': obj({ stream: ref('agent.V4Stream') }),
  'agent.V4RoomReactivated': obj({ stream: ref('agent.V4Stream') }),
  'agent.V4UserJoinedRoom': obj({ stream: ref('agent.V4Stream'), affectedUser: ref('agent.V4User') }),
  'agent.V4UserLeftRoom': obj({ stream: ref('agent.V4Stream'), affectedUser: ref('agent.V4User') }),
  'agent.V4RoomMemberPromotedToOwner': obj({
    stream: ref('agent.V4Stream'),
    affectedUser: ref('agent.V4User'),
  }),
  'agent.V4RoomMemberDemotedFromOwner': obj({
    stream: ref('agent.V4Stream'),
    affectedUser: ref('agent.V4User'),
  }),
  'agent.V4ConnectionRequested': obj({ toUser: ref('agent.V4User') }),
  'agent.V4ConnectionAccepted': obj({ fromUser: ref('agent.V4User') }),
  'agent.V4MessageSuppressed': obj({ messageId: str, stream: ref('agent.V4Stream') }),
  'agent.V4SymphonyElementsAction': obj({
    stream: ref('agent.V4Stream'),
    formMessageId: str,
    formId: str,
    formValues: { type: 'object' },
  }),
  'agent.V4UserRequestedToJoinRoom': obj({
    stream: ref('agent.V4Stream'),
    affectedUsers: arrayOf(ref('agent.V4User')),
  }),
  'agent.V4GenericSystemEvent': obj({
    stream: ref('agent.V4Stream'),
    eventTimestamp: int,
    sourceSystem: str,
    eventSubtype: str,
    parameters: { type: 'object', additionalProperties: true },
  }),
  'agent.V4RoomProperties': obj({
    name: str,
    description: str,
    creatorUser: ref('agent.V4User'),
    createdDate: int,
    external: bool,
    crossPod: bool,
    public: bool,
    copyProtected: bool,
    readOnly: bool,
    discoverable: bool,
    membersCanInvite: bool,
    keywords: arrayOf(ref('agent.V4KeyValuePair')),
    canViewHistory: bool,
  }),
  'agent.V4KeyValuePair': obj({ key: str, value: str }),
  'agent.V4Stream': obj({
    streamId: str,
    streamType: str,
    roomName: str,
    members: arrayOf(ref('agent.V4User')),
    external: bool,
    crossPod: bool,
    recipientTenantIds: arrayOf(int),
  }),
  'agent.V4Message': obj({
    messageId: str,
    parentMessageId: str,
    timestamp: int,
    message: str,
    sharedMessage: ref('agent.V4Message'),
    data: str,
    attachments: arrayOf(ref('agent.V4AttachmentInfo')),
    user: ref('agent.V4User'),
    stream: ref('agent.V4Stream'),
    externalRecipients: bool,
    diagnostic: str,
    userAgent: str,
    originalFormat: str,
    disclaimer: str,
    sid: str,
    replacing: str,
    replacedBy: str,
    initialTimestamp: int,
    initialMessageId: str,
    silent: bool,
  }),
  'agent.V4AttachmentInfo': obj(
    { id: str, name: str, size: int, images: arrayOf(ref('agent.V4ThumbnailInfo')) },
    ['id', 'name', 'size', 'images'],
  ),
  'agent.V4ThumbnailInfo': obj({ id: str, dimension: str }),
  'agent.V4MessageList': arrayOf(ref('agent.V4Message')),
  'agent.AgentInfo': obj({
    ipAddress: str,
    hostname: str,
    serverFqdn: str,
    version: str,
    url: str,
    onPrem: bool,
    mt: bool,
    commitId: str,
  }),
  'agent.V3Health': obj({
    services: { type: 'object', additionalProperties: ref('agent.V3HealthComponent') },
    status: ref('agent.V3HealthStatus'),
    users: { type: 'object', additionalProperties: ref('agent.V3HealthComponent') },
    version: str,
  }),
  'agent.V3HealthComponent': obj({
    authType: ref('agent.V3HealthAuthType'),
    message: str,
    status: ref('agent.V3HealthStatus'),
    version: str,
  }),
  'agent.V3HealthStatus': { type: 'string', enum: ['UP', 'DOWN'] },
  'agent.V3HealthAuthType': { type: 'string', enum: ['RSA', 'CERT'] },

  // agent/agent-api-public-deprecated.yaml `components.schemas` (datafeed v1); its V4Event and V2Error are the
  // same as the current file's (the cross-check compares them).
  'agentDeprecated.Datafeed': obj({ id: str }),
  'agentDeprecated.V4EventList': arrayOf(ref('agent.V4Event')),
};
