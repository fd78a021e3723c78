import { AuthenticationRejectedError } from './errors.ts';

/**
 * 401 from `/login/pubkey/app/authenticate`: the app is unknown to the pod, disabled, has no RSA public key, or
 * the JWT is not signed by its key. Fatal: not retried.
 */
export class AppAuthenticationRejectedError extends AuthenticationRejectedError {
  override readonly code: string = 'SYMPHONY_APP_AUTH_REJECTED';
}

/**
 * 401 (or 403) from `/login/pubkey/app/user/{userId}/authenticate` or `…/username/{username}/authenticate` with a
 * fresh app session: the user does not exist, or has not installed (is not entitled to) the app. Fatal for that
 * user: not retried.
 */
export class OboUserRejectedError extends AuthenticationRejectedError {
  override readonly code: string = 'SYMPHONY_OBO_USER_REJECTED';
}
