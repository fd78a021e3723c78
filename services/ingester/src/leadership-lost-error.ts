/** The lease was lost (or fenced) while this replica was reading: stop the session, store nothing. */
export class LeadershipLostError extends Error {
  readonly code = 'LEADERSHIP_LOST';
  override readonly name = 'LeadershipLostError';
}
