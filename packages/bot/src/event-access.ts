import type { BatonEvent } from '@baton/shared/events';
import type { Initiator } from './context.ts';

/** Loose read-only view of an event's payload (every payload has one key; most carry a `stream`). */
interface StreamLike {
  streamId?: string;
  streamType?: string;
}
interface PayloadLike {
  stream?: StreamLike;
  message?: { stream?: StreamLike };
}

function payloadOf(event: BatonEvent): PayloadLike | undefined {
  const values = Object.values(event.payload as Record<string, unknown>);
  const first = values[0];
  return typeof first === 'object' && first !== null ? (first as PayloadLike) : undefined;
}

/** The stream the event happened in ('' for stream-less events such as CONNECTIONREQUESTED). */
export function streamOf(event: BatonEvent): StreamLike {
  const payload = payloadOf(event);
  return payload?.stream ?? payload?.message?.stream ?? {};
}

export function streamIdOf(event: BatonEvent): string {
  return streamOf(event).streamId ?? '';
}

export function initiatorOf(event: BatonEvent): Initiator | undefined {
  const user = event.initiator?.user;
  if (!user || typeof user.userId !== 'number') return undefined;
  const initiator: Initiator = { userId: user.userId };
  if (user.displayName !== undefined) initiator.displayName = user.displayName;
  if (user.username !== undefined) initiator.username = user.username;
  return initiator;
}
