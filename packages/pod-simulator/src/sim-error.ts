import { BatonError } from '@baton/shared/errors';

/**
 * An error answered over HTTP with a fixed status and JSON body (Symphony's `{code, message}` shape unless a
 * route documents another). Route handlers throw it; the server's error handler serialises it. Subclasses
 * override `code`.
 */
export class SimHttpError extends BatonError {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    message: string,
    body?: Record<string, unknown>,
    headers?: Record<string, string>,
  ) {
    super('SIM_HTTP_ERROR', message);
    this.status = status;
    this.body = body ?? { code: status, message };
    this.headers = headers ?? {};
  }
}

export const invalidSession = (): SimHttpError => new SimHttpError(401, 'Invalid session');
export const badRequest = (message: string): SimHttpError => new SimHttpError(400, message);
export const forbidden = (message: string): SimHttpError => new SimHttpError(403, message);
export const notFound = (message: string): SimHttpError => new SimHttpError(404, message);
