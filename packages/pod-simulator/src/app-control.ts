import type { RegisterAppInput, SimApp } from './pod/app-registry.ts';
import type { SimCore } from './sim-core.ts';

/** The extension-app part of the control API (on-behalf-of): register apps, install them for users. */
export interface SimAppControl {
  /** Registers (or updates) an app with its RSA public key; `enabled` defaults to true. */
  registerApp(input: RegisterAppInput): { appId: string };
  listApps(): SimApp[];
  /** The user installs the app: the app may then act on their behalf. */
  installApp(appId: string, userId: number): void;
  /** The user removes the app: the next on-behalf-of login for them gets 401 (sessions already made stay valid). */
  uninstallApp(appId: string, userId: number): void;
  /** Invalidate every app session (or one app's): the next user login with an old app session gets 401. */
  invalidateAppSessions(appId?: string): void;
}

export function createAppControl(core: SimCore): SimAppControl {
  const { apps, pod } = core;
  return {
    registerApp: (input) => ({ appId: apps.register(input).appId }),
    listApps: () => apps.list().map((a) => ({ ...a, userIds: [...a.userIds] })),
    installApp: (appId, userId) => {
      pod.requireUser(userId);
      apps.install(appId, userId);
    },
    uninstallApp: (appId, userId) => apps.uninstall(appId, userId),
    invalidateAppSessions: (appId) => apps.invalidateSessions(appId),
  };
}
