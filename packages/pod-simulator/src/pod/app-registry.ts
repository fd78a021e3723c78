import { createPublicKey } from 'node:crypto';
import { newToken } from '../ids.ts';
import { SimHttpError } from '../sim-error.ts';

/** An extension app registered on the pod: what on-behalf-of (OBO) authentication checks. */
export interface SimApp {
  appId: string;
  name: string;
  /** A disabled app cannot authenticate (401), as on a pod. */
  enabled: boolean;
  /** PEM (SPKI or PKCS#1) that verifies the app's RS512 JWTs. */
  publicKeyPem: string;
  /** Users who installed the app (are entitled to it): only they can be acted for. */
  userIds: number[];
}

export interface RegisterAppInput {
  appId: string;
  publicKeyPem: string;
  name?: string;
  enabled?: boolean;
}

/**
 * The pod's extension apps (id, public key, enabled), which users installed each, and the app session tokens
 * `/login/pubkey/app/authenticate` issued. Registering an existing app id again replaces its key, name and
 * `enabled` and keeps its users.
 */
export class AppRegistry {
  private readonly apps = new Map<string, SimApp>();
  private readonly sessions = new Map<string, string>();

  register(input: RegisterAppInput): SimApp {
    if (typeof input.appId !== 'string' || !input.appId.trim())
      throw new SimHttpError(400, 'appId is required');
    // The pod refuses a colon in an app id (Symphony's docs: a 401 on authentication otherwise).
    if (input.appId.includes(':')) throw new SimHttpError(400, 'appId must not contain ":"');
    if (typeof input.publicKeyPem !== 'string') throw new SimHttpError(400, 'publicKey is required');
    try {
      createPublicKey(input.publicKeyPem);
    } catch {
      throw new SimHttpError(400, 'publicKey must be an RSA public key in PEM (SPKI or PKCS#1)');
    }
    const previous = this.apps.get(input.appId);
    const app: SimApp = {
      appId: input.appId,
      name: input.name ?? previous?.name ?? input.appId,
      enabled: input.enabled ?? previous?.enabled ?? true,
      publicKeyPem: input.publicKeyPem,
      userIds: previous?.userIds ?? [],
    };
    this.apps.set(app.appId, app);
    return app;
  }

  get(appId: string): SimApp | undefined {
    return this.apps.get(appId);
  }

  require(appId: string): SimApp {
    const app = this.apps.get(appId);
    if (!app) throw new SimHttpError(404, `App ${appId} not found`);
    return app;
  }

  list(): SimApp[] {
    return [...this.apps.values()];
  }

  /** The user installs the app (is entitled to it). Idempotent. */
  install(appId: string, userId: number): void {
    const app = this.require(appId);
    if (!app.userIds.includes(userId)) app.userIds.push(userId);
  }

  /** The user removes the app: the next on-behalf-of login for them is refused. Idempotent. */
  uninstall(appId: string, userId: number): void {
    const app = this.require(appId);
    app.userIds = app.userIds.filter((id) => id !== userId);
  }

  isInstalled(appId: string, userId: number): boolean {
    return this.apps.get(appId)?.userIds.includes(userId) ?? false;
  }

  issueSession(appId: string): string {
    const token = `app-${newToken(32)}`;
    this.sessions.set(token, appId);
    return token;
  }

  /** The app an app session token belongs to, while the token is valid and the app still enabled. */
  resolveSession(token: string | undefined): SimApp | undefined {
    const appId = token === undefined ? undefined : this.sessions.get(token);
    const app = appId === undefined ? undefined : this.apps.get(appId);
    return app?.enabled ? app : undefined;
  }

  /** Invalidate every app session (or one app's). */
  invalidateSessions(appId?: string): void {
    for (const [token, id] of this.sessions)
      if (appId === undefined || id === appId) this.sessions.delete(token);
  }
}
