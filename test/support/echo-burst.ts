import { setTimeout as sleep } from 'node:timers/promises';
import type { PipelineStack } from './pipeline-stack.ts';
import type { ObservedReply, SentEvent } from './reply-audit.ts';

/**
 * A drill's burst of commands: one round posts `@bot /echo <tag><room>:<seq>` in every burst room, each from the
 * next sender in turn (the reference bot rate-limits per user). Returns the events it sent.
 */
export function sendEchoRound(stack: PipelineStack, tag: string, seq: number): SentEvent[] {
  return stack.rooms.map((room, r) => {
    const text = `${tag}${r}:${seq}`;
    const user = stack.userIds[(seq * stack.rooms.length + r) % stack.userIds.length] as number;
    const sentAt = Date.now();
    const { messageId } = stack.sim.control.sendMessage(room, {
      fromUserId: user,
      text: `@${stack.bot.username} /echo ${text}`,
    });
    return { stream: room, seq, text, sentAt, messageId };
  });
}

/**
 * What the bot posted in the burst rooms, as the audit reads it. `skip`: per room, how many replies to leave out
 * (those of an earlier burst).
 */
export function burstReplies(stack: PipelineStack, skip?: ReadonlyMap<string, number>): ObservedReply[] {
  return stack.rooms.flatMap((room) =>
    stack
      .botMessages(room)
      .slice(skip?.get(room) ?? 0)
      .map((m) => ({ stream: room, text: m.text, timestamp: m.timestamp })),
  );
}

/**
 * Waits for a burst's backlog: until `answered()` reaches `total` or has not moved for 30 s; then 2 s more, in
 * which a duplicate reply would show up.
 */
export async function waitForBacklog(answered: () => number, total: number): Promise<void> {
  let last = -1;
  let lastChange = Date.now();
  while (Date.now() - lastChange < 30_000) {
    const n = answered();
    if (n >= total) break;
    if (n !== last) {
      last = n;
      lastChange = Date.now();
    }
    await sleep(250);
  }
  await sleep(2_000);
}
