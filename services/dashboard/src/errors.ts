import { BatonError } from '@baton/shared';

/**
 * Base of the dashboard's coded errors (a `BatonError`): callers branch on the class (or `code`), never on the
 * message. Every code is listed in docs/errors.md.
 */
export class DashboardError extends BatonError {}

/** Refusal to listen on a non-loopback address without a token or basic-auth credentials. */
export class InsecureBindError extends DashboardError {
  constructor(readonly host: string) {
    super(
      'DASHBOARD_INSECURE_BIND',
      `refusing to listen on ${host} without DASHBOARD_TOKEN or DASHBOARD_BASIC_AUTH (only loopback addresses may run open)`,
    );
  }
}
