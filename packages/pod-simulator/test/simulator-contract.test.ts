import { request } from 'node:https';
import { createThrowawayCa, type IssuedCertificate, type ThrowawayCa } from '@baton/testing';
import { Ajv, type ValidateFunction } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../src/index.ts';
import { type ContractEntry, type ResponseBody, symphonyContract } from './contract/symphony-contract.ts';
import { definitions, type JsonSchema } from './contract/symphony-schemas.ts';
import { type BotUser, botUser, type Session, signJwt } from './support/sim-client.ts';
import { simTest } from './support/sim-test.ts';

/**
 * The simulator held to Symphony's own spec (finos/symphony-api-spec, transcribed in `contract/`): every answer
 * of every endpoint the shared client calls, success and the documented errors the simulator implements, must
 * have a status the spec declares for it and a body valid against the spec's schema for that status. Objects are
 * validated closed: a field the spec does not declare is refused too (with few `required` fields in the spec, an
 * open schema would accept nearly any object). The last test fails if an entry of the contract went unexercised.
 */

/** Every object schema that lists its properties made closed (`additionalProperties: false`). */
function closed(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closed);
  if (typeof schema !== 'object' || schema === null) return schema;
  const out = Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, closed(v)]));
  if ('properties' in out && !('additionalProperties' in out)) out.additionalProperties = false;
  return out;
}

const ajv = new Ajv({ allErrors: true, strictTypes: false });
const closedDefinitions = closed(definitions) as Record<string, JsonSchema>;
const compile = (schema: JsonSchema): ValidateFunction =>
  ajv.compile({ ...(closed(schema) as JsonSchema), definitions: closedDefinitions });

const entries = new Map<string, ContractEntry>(symphonyContract.map((e) => [e.id, e]));
const validators = new Map<string, ValidateFunction>();
/** Statuses seen per contract entry. */
const hits = new Map<string, Set<number>>();

interface Exchange {
  status: number;
  contentType: string;
  text: string;
}

/** Problems of `res` against what `body` says (empty when it conforms). */
function bodyProblems(key: string, body: ResponseBody, res: Exchange): string[] {
  if (body.kind === 'none') return res.text === '' ? [] : [`expected no body, got ${res.text.slice(0, 200)}`];
  if (body.kind === 'base64') {
    return /^[A-Za-z0-9+/]*={0,2}$/.test(res.text) && res.contentType.startsWith('application/octet-stream')
      ? []
      : [
          `expected base64 text as application/octet-stream, got ${res.contentType}: ${res.text.slice(0, 80)}`,
        ];
  }
  if (!res.contentType.startsWith('application/json')) return [`content-type ${res.contentType}, not JSON`];
  let parsed: unknown;
  try {
    parsed = JSON.parse(res.text);
  } catch {
    return [`not JSON: ${res.text.slice(0, 200)}`];
  }
  let validate = validators.get(key);
  if (!validate) {
    validate = compile(body.schema);
    validators.set(key, validate);
  }
  if (validate(parsed)) return [];
  return (validate.errors ?? []).map(
    (e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`,
  );
}

/** Asserts that `res` is an answer the contract allows for `id` (status declared, body valid); returns the JSON. */
function conforms(id: string, res: Exchange): unknown {
  const entry = entries.get(id);
  if (!entry) throw new Error(`no contract entry ${id}`);
  const body = entry.responses[res.status] ?? entry.undeclared?.[res.status];
  expect(
    body,
    `${id} answered ${res.status}; the spec declares ${Object.keys(entry.responses).join(', ')}: ${res.text.slice(0, 300)}`,
  ).toBeDefined();
  if (!body) return undefined;
  expect(bodyProblems(`${id} ${res.status}`, body, res), `${id} ${res.status} body`).toEqual([]);
  const seen = hits.get(id) ?? new Set<number>();
  seen.add(res.status);
  hits.set(id, seen);
  return body.kind === 'json' ? JSON.parse(res.text) : undefined;
}

let ca: ThrowawayCa;
let stranger: ThrowawayCa;
const badSession = { sessionToken: 'not-a-session' };

beforeAll(() => {
  ca = createThrowawayCa('Contract CA');
  stranger = createThrowawayCa('Stranger CA');
});
// Read when the simulator starts, in the first test: after the CAs above.
simTest.override('simOptions', () => ({ longPollMs: 150, certAuth: { caCertPem: ca.certPem } }));
simTest.override({
  botOptions: { username: 'contract-bot', displayName: 'Contract Bot' },
  aliceOptions: { displayName: 'Alice Analyst' },
});
afterAll(() => {
  ca?.remove();
  stranger?.remove();
});

/**
 * `simTest` plus `outsider` (logged in, in none of the bot's rooms) and the app `contract-app` (`appKey`, its key
 * pair), installed for alice.
 */
const contractTest = simTest
  .extend('outsider', { scope: 'file' }, ({ sim }) => botUser(sim, 'outsider', 'Out Sider'))
  .extend('appKey', { scope: 'file' }, ({ sim, aliceBot }) => {
    const appKey = sim.control.generateKeyPair();
    sim.control.registerApp({
      appId: 'contract-app',
      publicKeyPem: appKey.publicKeyPem,
      name: 'Contract App',
    });
    sim.control.installApp('contract-app', aliceBot.userId);
    return appKey;
  });

/** One HTTP call to the simulator: a JSON body (object or array) or a multipart form. */
async function exchange(
  sim: Simulator,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<Exchange> {
  const isForm = body instanceof FormData;
  const res = await fetch(sim.url + path, {
    method,
    headers: { ...headers, ...(body !== undefined && !isForm ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: isForm ? body : JSON.stringify(body) } : {}),
  });
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', text: await res.text() };
}

/** Asserts that each exchange answered with its status, an answer the contract allows for `id`. */
function expectAnswers(id: string, answers: readonly (readonly [Exchange, number])[]): void {
  for (const [r, status] of answers) {
    expect(r.status, r.text).toBe(status);
    conforms(id, r);
  }
}

/** A bodiless POST to the mutual-TLS listener, with or without a client certificate. */
function mtlsPost(sim: Simulator, path: string, cert?: IssuedCertificate): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${sim.certAuthUrl}${path}`,
      { method: 'POST', ca: sim.caCertPem, ...(cert ? { cert: cert.certPem, key: cert.keyPem } : {}) },
      (res) => {
        let text = '';
        res.on('data', (chunk) => {
          text += chunk;
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'] ?? '', text }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const form = (message: string, extra?: (fd: FormData) => void): FormData => {
  const fd = new FormData();
  fd.set('message', message);
  fd.set('version', '2.0');
  extra?.(fd);
  return fd;
};

/** A room the bot creates, with alice in it (through the contract's own calls). */
async function botRoom(sim: Simulator, bot: BotUser, alice: BotUser, name: string): Promise<string> {
  const created = conforms(
    'POST /pod/v3/room/create',
    await exchange(sim, 'POST', '/pod/v3/room/create', bot.session.headers, {
      name,
      description: 'contract',
    }),
  ) as { roomSystemInfo: { id: string } };
  const roomId = created.roomSystemInfo.id;
  conforms(
    'POST /pod/v1/room/{id}/membership/add',
    await exchange(sim, 'POST', `/pod/v1/room/${roomId}/membership/add`, bot.session.headers, {
      id: alice.userId,
    }),
  );
  return roomId;
}

const send = async (sim: Simulator, session: Session, streamId: string, fd: FormData) =>
  exchange(sim, 'POST', `/agent/v4/stream/${streamId}/message/create`, session.headers, fd);

describe('the contract itself', () => {
  it('validates closed: a body that strays from the spec is refused', () => {
    const ok: Exchange = {
      status: 200,
      contentType: 'application/json',
      text: JSON.stringify({ id: 1, username: 'u', accountType: 'NORMAL' }),
    };
    const user = symphonyContract.find((e) => e.id === 'GET /pod/v2/sessioninfo')!.responses[200]!;
    expect(bodyProblems('negative UserV2', user, ok)).toEqual([]);
    const wrong = (body: unknown): string[] =>
      bodyProblems('negative UserV2', user, { ...ok, text: JSON.stringify(body) });
    expect(wrong({ userId: 1, username: 'u' })).toEqual([expect.stringContaining('additional properties')]);
    expect(wrong({ id: '1' })).toEqual([expect.stringContaining('must be integer')]);
    expect(wrong({ id: 1, accountType: 'ROBOT' })).toEqual([expect.stringContaining('allowed values')]);
    // The error body Symphony's docs show for the message size limit: `code` a string, not the int32 V2Error has.
    const v2Error = symphonyContract.find((e) => e.id === 'POST /agent/v4/stream/{sid}/message/create')!
      .responses[400]!;
    const docs = { message: 'Limit reached', status: 'PAYLOAD_TOO_LARGE', code: 'LIMIT_REACHED' };
    expect(bodyProblems('negative V2Error', v2Error, { ...ok, text: JSON.stringify(docs) })).not.toEqual([]);
    expect(bodyProblems('negative V2Error', v2Error, { ...ok, text: '{"message":"no code"}' })).toEqual([
      expect.stringContaining("must have required property 'code'"),
    ]);
    expect(bodyProblems('negative none', { kind: 'none' }, ok)).not.toEqual([]);
  });
});

describe('authentication', () => {
  contractTest('RSA login on the pod and the key manager: 200 Token, 401 Error', async ({ sim, bot }) => {
    const jwt = await signJwt(bot.privateKeyPem, 'contract-bot');
    const wrongKey = await signJwt(sim.control.generateKeyPair().privateKeyPem, 'contract-bot');
    for (const path of ['/login/pubkey/authenticate', '/relay/pubkey/authenticate']) {
      conforms(`POST ${path}`, await exchange(sim, 'POST', path, {}, { token: jwt }));
      const refused = await exchange(sim, 'POST', path, {}, { token: wrongKey });
      expect(refused.status).toBe(401);
      conforms(`POST ${path}`, refused);
    }
  });

  contractTest(
    'certificate login on /sessionauth and /keyauth: 200 Token, 403 for a CN of no user, 401 (undeclared) without a trusted certificate',
    async ({ sim, botAccount }) => {
      const botCert = ca.issue(botAccount.username);
      const nobody = ca.issue('nobody-here');
      const foreign = stranger.issue(botAccount.username);
      for (const path of ['/sessionauth/v1/authenticate', '/keyauth/v1/authenticate']) {
        const id = `POST ${path}`;
        expect(conforms(id, await mtlsPost(sim, path, botCert))).toMatchObject({ token: expect.any(String) });
        const noUser = await mtlsPost(sim, path, nobody);
        expect(noUser.status).toBe(403);
        conforms(id, noUser);
        for (const untrusted of [await mtlsPost(sim, path), await mtlsPost(sim, path, foreign)]) {
          expect(untrusted.status).toBe(401);
          conforms(id, untrusted);
        }
      }
    },
  );

  contractTest(
    'on-behalf-of: app login, then the user by id and by username; 401 for each refusal',
    async ({ sim, aliceBot, outsider, appKey }) => {
      const appJwt = await signJwt(appKey.privateKeyPem, 'contract-app');
      const app = conforms(
        'POST /login/pubkey/app/authenticate',
        await exchange(sim, 'POST', '/login/pubkey/app/authenticate', {}, { token: appJwt }),
      ) as { token: string };
      const unknownApp = await exchange(
        sim,
        'POST',
        '/login/pubkey/app/authenticate',
        {},
        { token: await signJwt(appKey.privateKeyPem, 'no-such-app') },
      );
      expect(unknownApp.status).toBe(401);
      conforms('POST /login/pubkey/app/authenticate', unknownApp);

      const appSession = { sessionToken: app.token };
      const byId = 'POST /login/pubkey/app/user/{userId}/authenticate';
      const byName = 'POST /login/pubkey/app/username/{username}/authenticate';
      const user = (path: string, h: Record<string, string> = appSession) => exchange(sim, 'POST', path, h);
      conforms(byId, await user(`/login/pubkey/app/user/${aliceBot.userId}/authenticate`));
      conforms(byName, await user('/login/pubkey/app/username/alice/authenticate'));
      for (const [id, refused] of [
        [byId, await user(`/login/pubkey/app/user/${outsider.userId}/authenticate`)], // app not installed
        [byId, await user('/login/pubkey/app/user/not-a-number/authenticate')], // names no user
        [byId, await user(`/login/pubkey/app/user/${aliceBot.userId}/authenticate`, badSession)],
        [byName, await user('/login/pubkey/app/username/nobody/authenticate')],
      ] as const) {
        expect(refused.status, refused.text).toBe(401);
        conforms(id, refused);
      }
    },
  );
});

describe('pod', () => {
  contractTest('session info and user lookups', async ({ sim, bot, aliceBot }) => {
    const h = bot.session.headers;
    const me = conforms('GET /pod/v2/sessioninfo', await exchange(sim, 'GET', '/pod/v2/sessioninfo', h));
    expect(me).toMatchObject({ id: bot.userId });
    expect((await exchange(sim, 'GET', '/pod/v2/sessioninfo', badSession)).status).toBe(401);
    conforms('GET /pod/v2/sessioninfo', await exchange(sim, 'GET', '/pod/v2/sessioninfo', badSession));

    const users = 'GET /pod/v3/users';
    const found = conforms(users, await exchange(sim, 'GET', `/pod/v3/users?uid=${aliceBot.userId}`, h));
    expect(found).toMatchObject({ users: [{ id: aliceBot.userId, username: 'alice' }] });
    conforms(users, await exchange(sim, 'GET', '/pod/v3/users?uid=1', h)); // none: 200 [] or 204, both declared
    for (const r of [
      await exchange(sim, 'GET', '/pod/v3/users', h),
      await exchange(sim, 'GET', '/pod/v3/users?uid=1', badSession),
    ]) {
      expect(r.status).toBeGreaterThanOrEqual(400);
      conforms(users, r);
    }

    const user = 'GET /pod/v2/user';
    expect(
      conforms(user, await exchange(sim, 'GET', `/pod/v2/user?uid=${aliceBot.userId}`, h)),
    ).toMatchObject({
      username: 'alice',
    });
    const unknown = await exchange(sim, 'GET', '/pod/v2/user?uid=1', h);
    expect(unknown.status).toBe(204);
    conforms(user, unknown);
    for (const r of [
      await exchange(sim, 'GET', '/pod/v2/user', h),
      await exchange(sim, 'GET', '/pod/v2/user?uid=1', badSession),
    ]) {
      expect(r.status).toBeGreaterThanOrEqual(400);
      conforms(user, r);
    }
  });

  contractTest('IMs: create; 400 for a bad body or an unknown user, 401', async ({ sim, bot, aliceBot }) => {
    const id = 'POST /pod/v1/im/create';
    const h = bot.session.headers;
    expect(
      conforms(id, await exchange(sim, 'POST', '/pod/v1/im/create', h, [aliceBot.userId])),
    ).toMatchObject({
      id: expect.any(String),
    });
    for (const r of [
      await exchange(sim, 'POST', '/pod/v1/im/create', h, { not: 'a list' }),
      await exchange(sim, 'POST', '/pod/v1/im/create', h, [1]),
      await exchange(sim, 'POST', '/pod/v1/im/create', badSession, [aliceBot.userId]),
    ]) {
      expect(r.status).toBeGreaterThanOrEqual(400);
      conforms(id, r);
    }
  });

  contractTest(
    'rooms: create, info, add a member; 400, 403 for a non-member, 401',
    async ({ sim, bot, aliceBot, outsider }) => {
      const h = bot.session.headers;
      const roomId = await botRoom(sim, bot, aliceBot, 'Contract Room');
      const info = 'GET /pod/v3/room/{id}/info';
      conforms(info, await exchange(sim, 'GET', `/pod/v3/room/${roomId}/info`, h));
      const add = 'POST /pod/v1/room/{id}/membership/add';
      const create = 'POST /pod/v3/room/create';
      for (const [id, r, status] of [
        [create, await exchange(sim, 'POST', '/pod/v3/room/create', h, { description: 'no name' }), 400],
        [create, await exchange(sim, 'POST', '/pod/v3/room/create', badSession, { name: 'x' }), 401],
        [info, await exchange(sim, 'GET', '/pod/v3/room/nosuchroom/info', h), 400],
        [info, await exchange(sim, 'GET', `/pod/v3/room/${roomId}/info`, outsider.session.headers), 403],
        [info, await exchange(sim, 'GET', `/pod/v3/room/${roomId}/info`, badSession), 401],
        [add, await exchange(sim, 'POST', `/pod/v1/room/${roomId}/membership/add`, h, { id: 'x' }), 400],
        [add, await exchange(sim, 'POST', `/pod/v1/room/${roomId}/membership/add`, h, { id: 1 }), 400],
        [
          add,
          await exchange(sim, 'POST', `/pod/v1/room/${roomId}/membership/add`, outsider.session.headers, {
            id: outsider.userId,
          }),
          403,
        ],
        [
          add,
          await exchange(sim, 'POST', `/pod/v1/room/${roomId}/membership/add`, badSession, { id: 1 }),
          401,
        ],
      ] as const) {
        expect(r.status, `${id}: ${r.text}`).toBe(status);
        conforms(id, r);
      }
    },
  );

  contractTest(
    'streams list: the caller streams, 204 when none, 400, 401',
    async ({ sim, bot, aliceBot }) => {
      const id = 'POST /pod/v1/streams/list';
      await botRoom(sim, bot, aliceBot, 'Listed Room');
      const listed = conforms(
        id,
        await exchange(sim, 'POST', '/pod/v1/streams/list', bot.session.headers, {}),
      );
      expect((listed as unknown[]).length).toBeGreaterThan(0);
      const loner = await botUser(sim, 'loner');
      const none = await exchange(sim, 'POST', '/pod/v1/streams/list', loner.session.headers, {});
      expect(none.status).toBe(204);
      conforms(id, none);
      for (const r of [
        await exchange(sim, 'POST', '/pod/v1/streams/list?skip=-1', bot.session.headers, {}),
        await exchange(sim, 'POST', '/pod/v1/streams/list', bot.session.headers, { streamTypes: 'ROOM' }),
        await exchange(sim, 'POST', '/pod/v1/streams/list', badSession, {}),
      ]) {
        expect(r.status).toBeGreaterThanOrEqual(400);
        conforms(id, r);
      }
    },
  );
});

describe('agent: messages and attachments', () => {
  contractTest(
    'message create, list, update and attachment download, with their documented errors',
    async ({ sim, bot, aliceBot, outsider }) => {
      const h = bot.session.headers;
      const roomId = await botRoom(sim, bot, aliceBot, 'Message Room');
      const create = 'POST /agent/v4/stream/{sid}/message/create';
      const sent = conforms(
        create,
        await send(
          sim,
          bot.session,
          roomId,
          form('<messageML>Hello <mention uid="' + aliceBot.userId + '"/></messageML>'),
        ),
      ) as { messageId: string };
      const withFile = conforms(
        create,
        await send(
          sim,
          bot.session,
          roomId,
          form('<messageML>a file</messageML>', (fd) =>
            fd.append('attachment', new Blob([Buffer.from('contract bytes')]), 'report.txt'),
          ),
        ),
      ) as { messageId: string; attachments: { id: string }[] };
      const tooLarge = form(`<messageML>${'x'.repeat(1.6 * 1024 * 1024)}</messageML>`);
      expectAnswers(create, [
        [await send(sim, bot.session, roomId, form('<messageML><b>unclosed</messageML>')), 400],
        [await send(sim, bot.session, 'nosuchstream', form('<messageML>hi</messageML>')), 400],
        [await send(sim, bot.session, roomId, tooLarge), 400],
        [await send(sim, outsider.session, roomId, form('<messageML>hi</messageML>')), 403],
        [
          await exchange(
            sim,
            'POST',
            `/agent/v4/stream/${roomId}/message/create`,
            badSession,
            form('<messageML>hi</messageML>'),
          ),
          401,
        ],
      ]);

      const update = 'POST /agent/v4/stream/{sid}/message/{mid}/update';
      const upd = (session: Record<string, string>, sid: string, mid: string) =>
        exchange(
          sim,
          'POST',
          `/agent/v4/stream/${sid}/message/${mid}/update`,
          session,
          form('<messageML>edited</messageML>'),
        );
      expect(conforms(update, await upd(h, roomId, sent.messageId))).toMatchObject({
        replacing: sent.messageId,
      });
      const alicesMessage = conforms(
        create,
        await send(sim, aliceBot.session, roomId, form('<messageML>mine</messageML>')),
      ) as { messageId: string };
      expectAnswers(update, [
        [await upd(h, roomId, 'nosuchmessage'), 400],
        [await upd(h, roomId, alicesMessage.messageId), 403],
        [await upd(outsider.session.headers, roomId, sent.messageId), 403],
        [await upd(badSession, roomId, sent.messageId), 401],
      ]);

      const list = 'GET /agent/v4/stream/{sid}/message';
      const messages = conforms(
        list,
        await exchange(sim, 'GET', `/agent/v4/stream/${roomId}/message?since=0`, h),
      );
      expect((messages as unknown[]).length).toBeGreaterThanOrEqual(3);
      expectAnswers(list, [
        [await exchange(sim, 'GET', `/agent/v4/stream/${roomId}/message`, h), 400],
        [await exchange(sim, 'GET', `/agent/v4/stream/${roomId}/message?since=0&limit=501`, h), 400],
        [
          await exchange(sim, 'GET', `/agent/v4/stream/${roomId}/message?since=0`, outsider.session.headers),
          403,
        ],
        [await exchange(sim, 'GET', `/agent/v4/stream/${roomId}/message?since=0`, badSession), 401],
      ]);

      const download = 'GET /agent/v1/stream/{sid}/attachment';
      const fileId = encodeURIComponent(withFile.attachments[0]!.id);
      const file = (session: Record<string, string>, query: string) =>
        exchange(sim, 'GET', `/agent/v1/stream/${roomId}/attachment?${query}`, session);
      const ok = await file(h, `fileId=${fileId}&messageId=${withFile.messageId}`);
      conforms(download, ok);
      expect(Buffer.from(ok.text, 'base64').toString()).toBe('contract bytes');
      expectAnswers(download, [
        [await file(h, `messageId=${withFile.messageId}`), 400],
        [await file(h, `fileId=nosuchfile&messageId=${withFile.messageId}`), 400],
        [await file(outsider.session.headers, `fileId=${fileId}&messageId=${withFile.messageId}`), 403],
        [await file(badSession, `fileId=${fileId}&messageId=${withFile.messageId}`), 401],
      ]);
    },
  );

  contractTest('agent info and health', async ({ sim, bot }) => {
    conforms('GET /agent/v1/info', await exchange(sim, 'GET', '/agent/v1/info', bot.session.headers));
    const refused = await exchange(sim, 'GET', '/agent/v1/info', badSession);
    expect(refused.status).toBe(401);
    conforms('GET /agent/v1/info', refused);
    conforms('GET /agent/v3/health', await exchange(sim, 'GET', '/agent/v3/health', {}));
  });
});

describe('agent: datafeeds', () => {
  /** The event types seen in every read of this block, each event validated with its read's body. */
  const eventTypes = new Set<string>();
  const collect = (body: unknown): void => {
    const events = Array.isArray(body) ? body : ((body as { events?: unknown[] } | undefined)?.events ?? []);
    for (const e of events as { type: string }[]) eventTypes.add(e.type);
  };

  /** Activity that emits every event type the simulator produces for the bot. */
  async function activity(
    sim: Simulator,
    { bot, aliceBot, outsider }: { bot: BotUser; aliceBot: BotUser; outsider: BotUser },
  ): Promise<void> {
    const roomId = await botRoom(sim, bot, aliceBot, `Feed Room ${eventTypes.size}-${Date.now()}`);
    const im = conforms(
      'POST /pod/v1/im/create',
      await exchange(sim, 'POST', '/pod/v1/im/create', outsider.session.headers, [bot.userId]),
    ) as { id: string };
    const formMessage = conforms(
      'POST /agent/v4/stream/{sid}/message/create',
      await send(
        sim,
        bot.session,
        roomId,
        form(
          '<messageML><form id="f"><text-field name="t"/><button name="go">Go</button></form></messageML>',
        ),
      ),
    ) as { messageId: string };
    sim.control.submitForm(roomId, {
      fromUserId: aliceBot.userId,
      formMessageId: formMessage.messageId,
      formId: 'f',
      formValues: { action: 'go', t: 'text' },
    });
    sim.control.sendMessage(im.id, { fromUserId: outsider.userId, text: 'hello bot' });
  }

  contractTest(
    'datafeed v1: create, read events, 204 when idle, 400 for an unknown feed, 401',
    async ({ sim, bot, aliceBot, outsider }) => {
      const h = bot.session.headers;
      const create = 'POST /agent/v4/datafeed/create';
      const read = 'GET /agent/v4/datafeed/{id}/read';
      const feed = conforms(create, await exchange(sim, 'POST', '/agent/v4/datafeed/create', h)) as {
        id: string;
      };
      const refused = await exchange(sim, 'POST', '/agent/v4/datafeed/create', badSession);
      expect(refused.status).toBe(401);
      conforms(create, refused);
      await activity(sim, { bot, aliceBot, outsider });
      const events = await exchange(sim, 'GET', `/agent/v4/datafeed/${feed.id}/read`, h);
      expect(events.status).toBe(200);
      collect(conforms(read, events));
      let idle = await exchange(sim, 'GET', `/agent/v4/datafeed/${feed.id}/read`, h);
      while (idle.status === 200) idle = await exchange(sim, 'GET', `/agent/v4/datafeed/${feed.id}/read`, h);
      expect(idle.status).toBe(204);
      conforms(read, idle);
      expectAnswers(read, [
        [await exchange(sim, 'GET', '/agent/v4/datafeed/nosuchfeed/read', h), 400],
        [await exchange(sim, 'GET', `/agent/v4/datafeed/${feed.id}/read`, badSession), 401],
      ]);
    },
  );

  contractTest(
    'datafeed v2: create, list, read with acks, delete; 400, 401; the 21st live feed is refused on read (403)',
    async ({ sim, bot, aliceBot, outsider }) => {
      const h = bot.session.headers;
      const create = 'POST /agent/v5/datafeeds';
      const list = 'GET /agent/v5/datafeeds';
      const del = 'DELETE /agent/v5/datafeeds/{datafeedId}';
      const read = 'POST /agent/v5/datafeeds/{datafeedId}/read';
      const feed = conforms(
        create,
        await exchange(sim, 'POST', '/agent/v5/datafeeds', h, { tag: 'contract' }),
      ) as {
        id: string;
      };
      conforms(create, await exchange(sim, 'POST', '/agent/v5/datafeeds', h)); // bodiless
      expectAnswers(create, [
        [await exchange(sim, 'POST', '/agent/v5/datafeeds', h, { tag: 'x'.repeat(101) }), 400],
        [await exchange(sim, 'POST', '/agent/v5/datafeeds', badSession), 401],
      ]);
      expect(conforms(list, await exchange(sim, 'GET', '/agent/v5/datafeeds', h))).toEqual(
        expect.arrayContaining([expect.objectContaining({ id: feed.id })]),
      );
      conforms(list, await exchange(sim, 'GET', '/agent/v5/datafeeds?tag=contract', h));
      const listRefused = await exchange(sim, 'GET', '/agent/v5/datafeeds', badSession);
      expect(listRefused.status).toBe(401);
      conforms(list, listRefused);

      await activity(sim, { bot, aliceBot, outsider });
      let ackId = '';
      for (let i = 0; i < 10; i++) {
        const body = conforms(
          read,
          await exchange(sim, 'POST', `/agent/v5/datafeeds/${feed.id}/read`, h, { ackId }),
        ) as {
          events: unknown[];
          ackId: string;
        };
        collect(body);
        ackId = body.ackId;
        if (body.events.length === 0) break;
      }
      expectAnswers(read, [
        [await exchange(sim, 'POST', '/agent/v5/datafeeds/nosuchfeed_f/read', h, { ackId: '' }), 400],
        [
          await exchange(sim, 'POST', `/agent/v5/datafeeds/${feed.id}/read`, h, { ackId: 'never-issued' }),
          400,
        ],
        [await exchange(sim, 'POST', `/agent/v5/datafeeds/${feed.id}/read`, badSession, { ackId: '' }), 401],
      ]);

      // A user with 20 live feeds: a 21st is created (201), its read is refused (403).
      const hoarder = await botUser(sim, 'feed-hoarder');
      let last = '';
      for (let i = 0; i < 21; i++) {
        const made = await exchange(sim, 'POST', '/agent/v5/datafeeds', hoarder.session.headers);
        expect(made.status, made.text).toBe(201);
        last = (conforms(create, made) as { id: string }).id;
      }
      const tooMany = await exchange(
        sim,
        'POST',
        `/agent/v5/datafeeds/${last}/read`,
        hoarder.session.headers,
        {
          ackId: '',
        },
      );
      expect(tooMany.status, tooMany.text).toBe(403);
      conforms(read, tooMany);

      const deleted = await exchange(sim, 'DELETE', `/agent/v5/datafeeds/${feed.id}`, h);
      expect(deleted.status).toBe(204);
      conforms(del, deleted);
      expectAnswers(del, [
        [await exchange(sim, 'DELETE', `/agent/v5/datafeeds/${feed.id}`, h), 400],
        [await exchange(sim, 'DELETE', `/agent/v5/datafeeds/${last}`, badSession), 401],
      ]);
    },
  );

  contractTest(
    'datahose: read events of the types asked for; 400 for a bad body, 401',
    async ({ sim, bot, aliceBot, outsider }) => {
      const h = bot.session.headers;
      const id = 'POST /agent/v5/events/read';
      const body = {
        type: 'datahose',
        tag: 'contract-hose',
        eventTypes: ['MESSAGESENT', 'ROOMCREATED'],
        ackId: '',
      };
      conforms(id, await exchange(sim, 'POST', '/agent/v5/events/read', h, body)); // creates the hose
      await activity(sim, { bot, aliceBot, outsider });
      const got = conforms(id, await exchange(sim, 'POST', '/agent/v5/events/read', h, body));
      collect(got);
      expectAnswers(id, [
        [await exchange(sim, 'POST', '/agent/v5/events/read', h, { ...body, type: 'fanout' }), 400],
        [await exchange(sim, 'POST', '/agent/v5/events/read', h, { ...body, eventTypes: [] }), 400],
        [await exchange(sim, 'POST', '/agent/v5/events/read', badSession, body), 401],
      ]);
    },
  );

  it('delivered every event type the simulator emits, each valid against V4Event', () => {
    expect([...eventTypes].sort()).toEqual(
      expect.arrayContaining([
        'INSTANTMESSAGECREATED',
        'MESSAGESENT',
        'ROOMCREATED',
        'SYMPHONYELEMENTSACTION',
        'USERJOINEDROOM',
      ]),
    );
  });
});

describe('coverage', () => {
  it('exercised every contract entry: its success and, where the spec declares client errors, at least one', () => {
    const missing: string[] = [];
    for (const entry of symphonyContract) {
      const seen = hits.get(entry.id) ?? new Set<number>();
      if (![...seen].some((s) => s < 300)) missing.push(`${entry.id}: no success`);
      const declaresClientErrors = Object.keys(entry.responses).some((s) => s.startsWith('4'));
      if (declaresClientErrors && ![...seen].some((s) => s >= 400 && s < 500)) {
        missing.push(`${entry.id}: no documented error`);
      }
    }
    expect(missing).toEqual([]);
  });
});
