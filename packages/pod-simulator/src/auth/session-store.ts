import { randomBytes } from 'node:crypto';
import { newToken } from '../ids.ts';

export type TokenKind = 'sessionToken' | 'keyManagerToken';

/** Issued session and key manager tokens; invalidation makes the next call with an old token fail. */
export class SessionStore {
  private readonly tokens = new Map<string, { userId: number; kind: TokenKind }>();

  /**
   * Session tokens look like a pod's: a JWT (RS512 header; `sub`, `exp`, `canUseSimplifiedKeyDelivery: false`,
   * so a BDK still fetches a key manager token). The server never verifies it: it looks the token up.
   * Key manager tokens are opaque hex, as the reference shows.
   */
  issue(userId: number, kind: TokenKind, username = String(userId)): string {
    const token = kind === 'keyManagerToken' ? `0100${newToken(48)}` : sessionJwt(userId, username);
    this.tokens.set(token, { userId, kind });
    return token;
  }

  /** The user a token belongs to, when it is valid and of that kind. */
  resolve(token: string | undefined, kind: TokenKind): number | undefined {
    if (!token) return undefined;
    const t = this.tokens.get(token);
    return t && t.kind === kind ? t.userId : undefined;
  }

  invalidate(userId?: number): void {
    if (userId === undefined) {
      this.tokens.clear();
      return;
    }
    for (const [tok, t] of this.tokens) if (t.userId === userId) this.tokens.delete(tok);
  }
}

const b64 = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');

function sessionJwt(userId: number, username: string): string {
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    sub: username,
    userId,
    sessionId: newToken(16),
    iat: now,
    exp: now + 14 * 24 * 3600,
    canUseSimplifiedKeyDelivery: false,
  };
  return `${b64({ alg: 'RS512' })}.${b64(claims)}.${randomBytes(64).toString('base64url')}`;
}
