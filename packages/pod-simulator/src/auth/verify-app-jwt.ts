import type { AppRegistry, SimApp } from '../pod/app-registry.ts';
import { PublicKeyCache, unauthorized, verifyRs512Jwt } from './verify-jwt.ts';

/**
 * Verifies an app's RSA JWT as `/login/pubkey/app/authenticate` does: `verifyRs512Jwt` with the public key
 * registered for the app `sub` names (the app id). An unknown or disabled app, like a bad signature, is a 401.
 */
export class AppJwtVerifier {
  private readonly keys = new PublicKeyCache<string>('app');

  constructor(private readonly apps: AppRegistry) {}

  async verify(token: unknown): Promise<SimApp> {
    let app: SimApp | undefined;
    await verifyRs512Jwt(token, (sub) => {
      app = this.apps.get(sub);
      if (!app) throw unauthorized('invalid app');
      if (!app.enabled) throw unauthorized('app is disabled');
      return this.keys.get(app.appId, app.publicKeyPem);
    });
    return app as SimApp;
  }
}
