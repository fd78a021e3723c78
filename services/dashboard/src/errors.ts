/** Base class of the dashboard's coded errors: callers branch on the class (or `code`), never on the message. */
export class DashboardError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Refusal to listen on a non-loopback address without a token or basic-auth credentials. */
export class InsecureBindError extends DashboardError {
  constructor(readonly host: string) {
    super(
      'DASHBOARD_INSECURE_BIND',
      `refusing to listen on ${host} without DASHBOARD_TOKEN or DASHBOARD_BASIC_AUTH (only loopback addresses may run open)`,
    );
  }
}
