import { createPublicKey, type KeyObject } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, errors as joseErrors, jwtVerify } from 'jose';
import type { PodState } from '../pod/pod-state.ts';
import { SimHttpError } from '../sim-error.ts';
import type { SimUser } from '../types.ts';

/** The JWT's `exp` may lie at most this far ahead (Symphony: five minutes). */
const MAX_EXP_AHEAD_S = 300;

const unauthorized = (why: string): SimHttpError =>
  new SimHttpError(401, `Unauthorized: ${why}`, { code: 401, message: `Unauthorized: ${why}` });

/**
 * Verifies a bot's RSA JWT as the pod and key manager do: RS512, signed by the key registered for `sub`,
 * `exp` between now and five minutes ahead. Any failure → 401.
 */
export class JwtVerifier {
  private readonly keys = new Map<number, { pem: string; key: KeyObject }>();

  constructor(private readonly pod: PodState) {}

  async verify(token: unknown): Promise<SimUser> {
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
    const user = this.pod.getUserByName(sub);
    if (!user) throw unauthorized('invalid user');
    if (!user.publicKeyPem) throw unauthorized('no public key imported for this user');
    const key = this.keyFor(user);
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
    return user;
  }

  private keyFor(user: SimUser): KeyObject {
    const pem = user.publicKeyPem!;
    const cached = this.keys.get(user.userId);
    if (cached && cached.pem === pem) return cached.key;
    let key: KeyObject;
    try {
      key = createPublicKey(pem);
    } catch {
      throw unauthorized('the public key imported for this user is invalid');
    }
    this.keys.set(user.userId, { pem, key });
    return key;
  }
}
