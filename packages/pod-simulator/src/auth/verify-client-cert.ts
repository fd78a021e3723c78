import type { TLSSocket } from 'node:tls';
import type { PodState } from '../pod/pod-state.ts';
import { SimHttpError } from '../sim-error.ts';
import type { SimUser } from '../types.ts';

const error = (status: 401 | 403, message: string): SimHttpError =>
  new SimHttpError(status, message, { code: status, message });

/**
 * Certificate authentication as the pod's `/sessionauth` and the key manager's `/keyauth` do it: the TLS layer
 * asked for a client certificate (and checked it against the configured CA without refusing the handshake); the
 * certificate's Common Name names the service account.
 * - no certificate, or one not signed by the CA: 401 (what the BDKs handle as "unauthorized");
 * - a CN that is no user of the pod: 403, the authenticator API's "not allowed for the requested user".
 */
export function userOfClientCertificate(socket: TLSSocket, pod: PodState): SimUser {
  const peer = socket.getPeerCertificate();
  if (!peer || Object.keys(peer).length === 0) {
    throw error(401, 'Unauthorized: no client certificate was presented');
  }
  if (!socket.authorized) {
    throw error(401, `Unauthorized: invalid client certificate (${String(socket.authorizationError)})`);
  }
  const cn = peer.subject?.CN;
  const username = Array.isArray(cn) ? cn[0] : cn;
  const user = username ? pod.getUserByName(username) : undefined;
  if (!user) {
    throw error(403, 'Forbidden: Certificate authentication is not allowed for the requested user.');
  }
  return user;
}
