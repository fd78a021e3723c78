import type {
  CallOptions,
  RoomAttributes,
  RoomDetail,
  SendMessageRequest,
  SessionInfo,
  V4MessageOut,
} from './types.ts';

/**
 * The user an on-behalf-of (OBO) session acts as: by user id (`/login/pubkey/app/user/{userId}/authenticate`) or
 * by username (`/login/pubkey/app/username/{username}/authenticate`).
 */
export type OboUser = { userId: number } | { username: string };

/** `StreamFilter` of `POST /pod/v1/streams/list`. */
export interface StreamFilter {
  /** Stream types to list (default: all). */
  streamTypes?: ('IM' | 'MIM' | 'ROOM' | 'POST')[];
  /** Include deactivated rooms (default false). */
  includeInactiveStreams?: boolean;
}

/** `StreamAttributes`, one entry of `POST /pod/v1/streams/list` (abridged; extra fields kept). */
export interface StreamAttributes {
  id: string;
  crossPod?: boolean;
  active?: boolean;
  streamType?: { type: 'IM' | 'MIM' | 'ROOM' | 'POST' | string };
  /** IMs, MIMs, walls: the member ids. */
  streamAttributes?: { members?: number[] };
  /** Rooms: the room name. */
  roomAttributes?: { name?: string };
  [key: string]: unknown;
}

/** Paging of `listStreams`: `skip` results, at most `limit` (the pod's default 50). */
export interface StreamPage {
  skip?: number;
  limit?: number;
}

/**
 * What an app may do on behalf of one user: only OBO-enabled calls, each made with that user's session token
 * (no key manager token: an OBO session has none). Symphony records what it does as done by the user (a message
 * sent is the user's message). Same contract as `SymphonyClient`'s methods: lazy login (app, then user), one
 * re-authentication on 401, bounded retries, coded errors.
 */
export interface OboClient {
  readonly user: OboUser;
  /** `GET /pod/v2/sessioninfo` as the user (who the session is). */
  getSessionInfo(opts?: CallOptions): Promise<SessionInfo>;
  /** `POST /agent/v4/stream/{sid}/message/create` as the user: the message is the user's. */
  sendMessage(streamId: string, msg: SendMessageRequest, opts?: CallOptions): Promise<V4MessageOut>;
  /** `POST /pod/v1/streams/list`: the streams the user is a member of, oldest first. */
  listStreams(filter?: StreamFilter, page?: StreamPage, opts?: CallOptions): Promise<StreamAttributes[]>;
  /** `POST /pod/v1/im/create`: an IM (one other user) or MIM between the user and `userIds`. */
  createIm(userIds: number[], opts?: CallOptions): Promise<{ id: string }>;
  /** `POST /pod/v3/room/create`: a room the user creates (and owns). */
  createRoom(attrs: RoomAttributes, opts?: CallOptions): Promise<RoomDetail>;
}

/** The app's OBO entry point: one client per user, sharing the app session and a cache of user sessions. */
export interface OboClients {
  /** The configured app id (the JWT `sub` of the app authentication). */
  readonly appId: string;
  /** A client acting as `user`. Cheap: sessions are made on first use and cached per user. */
  forUser(user: OboUser): OboClient;
}
