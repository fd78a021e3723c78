import type { JsonSchema, SpecNamespace } from './symphony-schemas.ts';

/**
 * The contract the pod simulator is held to: every Symphony endpoint the shared client (`packages/shared/src/
 * symphony`) calls, with the status codes finos/symphony-api-spec declares for it and the body of each (see
 * `symphony-schemas.ts` for the commit and the licence). Written by us from the spec; each entry names the spec
 * file (by namespace), path and method it was transcribed from. `tools/spec-contract/check-transcription.ts`
 * compares it with the spec files; `test/simulator-contract.test.ts` holds the simulator to it.
 */

/** What a response with that status carries. */
export type ResponseBody =
  /** A JSON body valid against `schema` (refs into `definitions` of `symphony-schemas.ts`). */
  | { kind: 'json'; schema: JsonSchema }
  /** No body (the spec declares no schema, or one a bodiless status cannot carry: `note` says which). */
  | { kind: 'none'; note?: string }
  /** Base64 text (the spec's `type: string, format: byte`). */
  | { kind: 'base64' };

export interface ContractEntry {
  /** `METHOD /path` as the simulator serves it, path parameters in braces. */
  readonly id: string;
  readonly spec: {
    readonly ns: SpecNamespace;
    /** The path in the spec file (its `servers`/`basePath` prefix left out), and the method. */
    readonly path: string;
    readonly method: 'get' | 'post' | 'delete';
    readonly operationId?: string;
    /** Why this served path differs from the spec file's base + path, when it does. */
    readonly servedAs?: string;
  };
  /** Every status the spec declares for the operation, with its body. */
  readonly responses: Readonly<Record<number, ResponseBody>>;
  /**
   * Statuses the simulator answers that the spec does not declare, each with why (the docs or the BDKs say so).
   * Kept few on purpose; the cross-check confirms the spec still does not declare them.
   */
  readonly undeclared?: Readonly<Record<number, ResponseBody & { why: string }>>;
}

const json = (name: string): ResponseBody => ({ kind: 'json', schema: { $ref: `#/definitions/${name}` } });
const arrayOfJson = (name: string): ResponseBody => ({
  kind: 'json',
  schema: { type: 'array', items: { $ref: `#/definitions/${name}` } },
});
const none: ResponseBody = { kind: 'none' };

/** Same error schema on every listed status. */
const errors = (name: string, ...statuses: number[]): Record<number, ResponseBody> =>
  Object.fromEntries(statuses.map((s) => [s, json(name)]));

const loginOp = (path: string) => ({ ns: 'login', path, method: 'post' }) as const;
const loginResponses = { 200: json('login.Token'), ...errors('login.Error', 401, 403, 500) };

const certAuthResponses = { 200: json('auth.Token'), ...errors('auth.Error', 400, 403, 500) };
const certAuthUndeclared = {
  401: {
    ...json('auth.Error'),
    why:
      'no client certificate, or one the pod does not trust: the spec lists 400/403 only, the BDKs handle a 401 ' +
      'from certificate authentication as "unauthorized", which is what the simulator answers',
  },
};

const podErrors = errors('pod.Error', 400, 401, 403, 500);
const agentErrors = (...statuses: number[]) => errors('agent.V2Error', ...statuses);

export const symphonyContract: readonly ContractEntry[] = [
  // Authentication. The login spec has no base path: the pod serves it under /login, the key manager under /relay.
  { id: 'POST /login/pubkey/authenticate', spec: loginOp('/pubkey/authenticate'), responses: loginResponses },
  {
    id: 'POST /relay/pubkey/authenticate',
    spec: {
      ...loginOp('/pubkey/authenticate'),
      servedAs: 'the key manager serves the login API under /relay',
    },
    responses: loginResponses,
  },
  {
    id: 'POST /login/pubkey/app/authenticate',
    spec: loginOp('/pubkey/app/authenticate'),
    responses: loginResponses,
  },
  {
    id: 'POST /login/pubkey/app/user/{userId}/authenticate',
    spec: loginOp('/pubkey/app/user/{userId}/authenticate'),
    responses: loginResponses,
  },
  {
    id: 'POST /login/pubkey/app/username/{username}/authenticate',
    spec: loginOp('/pubkey/app/username/{username}/authenticate'),
    responses: loginResponses,
  },
  {
    id: 'POST /sessionauth/v1/authenticate',
    spec: {
      ns: 'auth',
      path: '/v1/authenticate',
      method: 'post',
      servedAs: 'the pod serves it under /sessionauth',
    },
    responses: certAuthResponses,
    undeclared: certAuthUndeclared,
  },
  {
    id: 'POST /keyauth/v1/authenticate',
    spec: {
      ns: 'auth',
      path: '/v1/authenticate',
      method: 'post',
      servedAs: 'the key manager serves the authenticator API under /keyauth',
    },
    responses: certAuthResponses,
    undeclared: certAuthUndeclared,
  },

  // Pod (basePath /pod).
  {
    id: 'GET /pod/v2/sessioninfo',
    spec: { ns: 'pod', path: '/v2/sessioninfo', method: 'get' },
    responses: { 200: json('pod.UserV2'), ...podErrors },
  },
  {
    id: 'GET /pod/v3/users',
    spec: { ns: 'pod', path: '/v3/users', method: 'get' },
    responses: { 200: json('pod.V2UserList'), 204: none, ...podErrors },
  },
  {
    id: 'GET /pod/v2/user',
    spec: { ns: 'pod', path: '/v2/user', method: 'get' },
    responses: { 200: json('pod.UserV2'), 204: none, ...podErrors },
  },
  {
    id: 'POST /pod/v1/im/create',
    spec: { ns: 'pod', path: '/v1/im/create', method: 'post' },
    responses: { 200: json('pod.Stream'), ...podErrors },
  },
  {
    id: 'POST /pod/v3/room/create',
    spec: { ns: 'pod', path: '/v3/room/create', method: 'post' },
    responses: { 200: json('pod.V3RoomDetail'), ...podErrors, ...errors('pod.Error', 451) },
  },
  {
    id: 'GET /pod/v3/room/{id}/info',
    spec: { ns: 'pod', path: '/v3/room/{id}/info', method: 'get' },
    responses: { 200: json('pod.V3RoomDetail'), ...podErrors },
  },
  {
    id: 'POST /pod/v1/room/{id}/membership/add',
    spec: { ns: 'pod', path: '/v1/room/{id}/membership/add', method: 'post' },
    responses: { 200: json('pod.SuccessResponse'), ...podErrors },
  },
  {
    id: 'POST /pod/v1/streams/list',
    spec: { ns: 'pod', path: '/v1/streams/list', method: 'post' },
    responses: { 200: json('pod.StreamList'), 204: none, ...podErrors },
  },

  // Agent (server URL …/agent). Datafeed v1 lives in the deprecated file.
  {
    id: 'POST /agent/v4/datafeed/create',
    spec: { ns: 'agentDeprecated', path: '/v4/datafeed/create', method: 'post' },
    responses: { 200: json('agentDeprecated.Datafeed'), ...agentErrors(400, 401, 403, 500, 503) },
  },
  {
    id: 'GET /agent/v4/datafeed/{id}/read',
    spec: { ns: 'agentDeprecated', path: '/v4/datafeed/{id}/read', method: 'get' },
    responses: { 200: json('agentDeprecated.V4EventList'), 204: none, ...agentErrors(400, 401, 403, 500) },
  },
  {
    id: 'POST /agent/v5/datafeeds',
    spec: { ns: 'agent', path: '/v5/datafeeds', method: 'post', operationId: 'createDatafeed' },
    responses: { 201: json('agent.V5Datafeed'), ...agentErrors(400, 401, 500) },
  },
  {
    id: 'GET /agent/v5/datafeeds',
    spec: { ns: 'agent', path: '/v5/datafeeds', method: 'get', operationId: 'listDatafeed' },
    responses: { 200: arrayOfJson('agent.V5Datafeed'), ...agentErrors(400, 401, 500) },
  },
  {
    id: 'DELETE /agent/v5/datafeeds/{datafeedId}',
    spec: {
      ns: 'agent',
      path: '/v5/datafeeds/{datafeedId}',
      method: 'delete',
      operationId: 'deleteDatafeed',
    },
    responses: {
      204: { kind: 'none', note: 'the spec attaches V2Error to the 204; a 204 carries no body' },
      ...agentErrors(400, 401, 500),
    },
  },
  {
    id: 'POST /agent/v5/datafeeds/{datafeedId}/read',
    spec: {
      ns: 'agent',
      path: '/v5/datafeeds/{datafeedId}/read',
      method: 'post',
      operationId: 'readDatafeed',
    },
    responses: { 200: json('agent.V5EventList'), ...agentErrors(400, 401, 403, 500) },
  },
  {
    id: 'POST /agent/v5/events/read',
    spec: { ns: 'agent', path: '/v5/events/read', method: 'post', operationId: 'readEvents' },
    responses: { 200: json('agent.V5EventList'), ...agentErrors(400, 401, 403, 500) },
  },
  {
    id: 'POST /agent/v4/stream/{sid}/message/create',
    spec: { ns: 'agent', path: '/v4/stream/{sid}/message/create', method: 'post' },
    responses: { 200: json('agent.V4Message'), ...agentErrors(400, 401, 403, 451, 500) },
  },
  {
    id: 'GET /agent/v4/stream/{sid}/message',
    spec: { ns: 'agent', path: '/v4/stream/{sid}/message', method: 'get' },
    responses: { 200: json('agent.V4MessageList'), 204: none, ...agentErrors(400, 401, 403, 500) },
  },
  {
    id: 'POST /agent/v4/stream/{sid}/message/{mid}/update',
    spec: { ns: 'agent', path: '/v4/stream/{sid}/message/{mid}/update', method: 'post' },
    responses: { 200: json('agent.V4Message'), ...agentErrors(400, 401, 403, 451, 500) },
  },
  {
    id: 'GET /agent/v1/stream/{sid}/attachment',
    spec: { ns: 'agent', path: '/v1/stream/{sid}/attachment', method: 'get' },
    // The spec declares every response as application/octet-stream, the errors with the `Error` schema; the
    // simulator sends those errors as JSON (`Content-Type: application/json`), the body the schema describes.
    responses: { 200: { kind: 'base64' }, ...errors('agent.Error', 400, 401, 403, 500) },
  },
  {
    id: 'GET /agent/v1/info',
    spec: { ns: 'agent', path: '/v1/info', method: 'get' },
    responses: { 200: json('agent.AgentInfo'), ...agentErrors(400, 401, 403, 500) },
  },
  {
    id: 'GET /agent/v3/health',
    spec: { ns: 'agent', path: '/v3/health', method: 'get', operationId: 'v3Health' },
    responses: { 200: json('agent.V3Health') },
  },
];
