import { createPublicKey, type KeyObject } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, errors as joseErrors, jwtVerify } from 'jose';
import type { PodState } from '../pod/pod-state.ts';
import { SimHttpError } from '../sim-error.ts';
import type { SimUser } from '../types.ts';

/** The JWT's `exp` may lie at most this far ahead (Symphony: five minutes). */
const MAX_EXP_AHEAD_S = 300;

export const unauthorized = (why: string): SimHttpError =>
  new SimHttpError(401, `Unauthorized: ${why}`, { code: 401, message: `Unauthorized: ${why}` });

/**
 * The checks every RSA authentication of the pod makes (bots on `/login/pubkey/authenticate` and `/relay`, apps on
 * `/login/pubkey/app/authenticate`): a three-part JWT, RS512, a `sub`, signed by the key `keyFor(sub)` returns
 * (which throws its own 401 for an unknown subject), `exp` between now and five minutes ahead. Returns `sub`.
 */
export async function verifyRs512Jwt(token: unknown, keyFor: (sub: string) => KeyObject): Promise<string> {
  if (typeof token !== 'string' || token.split('.').length !== 3) throw unauthorized('malformed JWT');
  let sub: unknown;
  let alg: unknown;
  try {
    sub = decodeJwt(token).sub;
    alg = decodeProtectedHeader(token).alg;
  } catch {
    throw unauthorized('malformed JWT');
  }
  if (alg !== 'RS512') throw unauthorized('JWT must be signed with RS512');
  if (typeof sub !== 'string' || !sub) throw unauthorized('JWT has no subject');
  const key = keyFor(sub);
  let exp: number | undefined;
  try {
    const { payload } = await jwtVerify(token, key, { algorithms: ['RS512'], requiredClaims: ['exp'] });
    exp = payload.exp;
  } catch (err) {
    if (err instanceof joseErrors.JWTExpired) throw unauthorized('JWT expired');
    if (err instanceof joseErrors.JWSSignatureVerificationFailed) throw unauthorized('invalid signature');
    throw unauthorized('invalid JWT');
  }
  if (exp === undefined || exp > Math.floor(Date.now() / 1000) + MAX_EXP_AHEAD_S) {
    throw unauthorized('JWT expiration must be within five minutes');
  }
  return sub;
}

/** A parsed public key per PEM (parsing is the costly part), keyed by the owner (user id, app id). */
export class PublicKeyCache<K> {
  private readonly keys = new Map<K, { pem: string; key: KeyObject }>();

  constructor(private readonly owner: string) {}

  get(id: K, pem: string): KeyObject {
    const cached = this.keys.get(id);
    if (cached && cached.pem === pem) return cached.key;
    let key: KeyObject;
    try {
      key = createPublicKey(pem);
    } catch {
      throw unauthorized(`the public key imported for this ${this.owner} is invalid`);
    }
    this.keys.set(id, { pem, key });
    return key;
  }
}

/**
 * Verifies a bot's RSA JWT as the pod and key manager do (`verifyRs512Jwt`), with the key registered for the user
 * `sub` names. Any failure → 401.
 */
export class JwtVerifier {
  private readonly keys = new PublicKeyCache<number>('user');

  constructor(private readonly pod: PodState) {}

  async verify(token: unknown): Promise<SimUser> {
    let user: SimUser | undefined;
    await verifyRs512Jwt(token, (sub) => {
      user = this.pod.getUserByName(sub);
      if (!user) throw unauthorized('invalid user');
      if (!user.publicKeyPem) throw unauthorized('no public key imported for this user');
      return this.keys.get(user.userId, user.publicKeyPem);
    });
    return user as SimUser;
  }
}
