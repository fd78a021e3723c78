import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { bullmqPrefix, crc16, createMailbox, keySlot, queueNames } from '../src/queue/index.ts';

describe('key slots', () => {
  it('computes Redis Cluster CRC16 slots', () => {
    expect(crc16('123456789')).toBe(0x31c3);
    expect(keySlot('foo')).toBe(12182);
    expect(keySlot('{user1000}.following')).toBe(keySlot('{user1000}.followers'));
    expect(keySlot('foo{}{bar}')).toBe(crc16('foo{}{bar}') % 16384);
  });

  it('puts every key a mailbox script touches for a stream in one slot', () => {
    // defineCommand is all the mailbox needs from the client here; no command is sent.
    const fake = {
      defineCommand() {},
      batonMbEnqueueV2() {},
      batonMbAckV3() {},
      batonMbPeekV2() {},
      batonMbClaimV1() {},
      batonMbClaimPeekV2() {},
      batonMbFenceV1() {},
    };
    const mb = createMailbox(fake as unknown as Redis, { prefix: 'baton' });
    const slotsUsed = new Set<number>();
    for (let i = 0; i < 500; i++) {
      const streamId = `IEj12WoWsfTkiqOBkATdUn___${i}pFXhN9OdA`;
      const keys = mb.keysFor(streamId, `ev${i}|MESSAGESENT|m${i}|${streamId}`);
      const slots = new Set(keys.map(keySlot));
      expect(slots.size).toBe(1);
      slotsUsed.add([...slots][0] as number);
    }
    expect(slotsUsed.size).toBe(16); // the 16 partitions spread over 16 slots
  });

  it('hash-tags the BullMQ prefix', () => {
    const prefix = bullmqPrefix('baton');
    const names = queueNames('baton');
    const slot = keySlot(`${prefix}:${names.drain}:wait`);
    expect(keySlot(`${prefix}:${names.dlq}:de:x`)).toBe(slot);
    expect(keySlot(`${prefix}:${names.scheduled}:id`)).toBe(slot);
    expect(() => bullmqPrefix('a{b}')).toThrow(TypeError);
  });
});
