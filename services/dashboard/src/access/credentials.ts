import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** What a request must present when the dashboard is protected. */
export interface Credentials {
  readonly token: string | undefined;
  readonly basicAuth: { readonly user: string; readonly password: string } | undefined;
}

/** Constant-time string comparison (both sides hashed first, so lengths leak nothing either). */
export function safeEqual(a: string, b: string): boolean {
  const da = createHash('sha256').update(a).digest();
  const db = createHash('sha256').update(b).digest();
  return timingSafeEqual(da, db);
}

/** The value of the browser session cookie for a token: an HMAC, so the cookie never holds the token itself. */
export function sessionCookieValue(token: string): string {
  return createHmac('sha256', token).update('baton-dashboard-session-v1').digest('base64url');
}

export function isProtected(c: Credentials): boolean {
  return c.token !== undefined || c.basicAuth !== undefined;
}
