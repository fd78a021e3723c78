/**
 * Lua scripts of the mailbox. Entries are stored as `{"seq":N,"receivedAt":T,...}` (the script prepends the
 * seq to the JSON body the client built), so the scripts read seq and receivedAt with a pattern match.
 */

/**
 * KEYS: pending, backlog, seq, fence, list keys (one per distinct stream), seen keys (one per item).
 * ARGV: token ('' = unfenced), ttlSec, nStreams, nItems, then per item (streamIndex, receivedAt, body),
 * then the stream ids. Returns {-1} when fenced, else {added, duplicates, freshStream...}.
 */
export const ENQUEUE_LUA = `
local token = ARGV[1]
local ttl = tonumber(ARGV[2])
local nStreams = tonumber(ARGV[3])
local nItems = tonumber(ARGV[4])
if token ~= '' then
  local cur = redis.call('GET', KEYS[4])
  if cur and tonumber(cur) > tonumber(token) then return {-1} end
  if cur ~= token then redis.call('SET', KEYS[4], token) end
end
local added, dups = 0, 0
local fresh = {}
local sidBase = 4 + nItems * 3
for i = 1, nItems do
  local a = 4 + (i - 1) * 3
  local sIdx = tonumber(ARGV[a + 1])
  if redis.call('SET', KEYS[4 + nStreams + i], '1', 'NX', 'EX', ttl) then
    local sid = ARGV[sidBase + sIdx]
    local seq = redis.call('HINCRBY', KEYS[3], sid, 1)
    local len = redis.call('RPUSH', KEYS[4 + sIdx], '{"seq":' .. seq .. ',' .. ARGV[a + 3])
    if len == 1 then
      redis.call('ZADD', KEYS[2], ARGV[a + 2], sid)
      fresh[#fresh + 1] = sid
    end
    added = added + 1
  else
    dups = dups + 1
  end
end
if added > 0 then redis.call('INCRBY', KEYS[1], added) end
return {added, dups, unpack(fresh)}
`;

/**
 * Compare-and-pop of the head. KEYS: list, pending, backlog, active. ARGV: streamId, seq, token.
 * Returns {-1} fenced, {0, head|false} mismatch, {1, next|false} acked.
 */
export const ACK_LUA = `
if redis.call('HGET', KEYS[4], ARGV[1]) ~= ARGV[3] then return {-1} end
local head = redis.call('LINDEX', KEYS[1], 0)
if not head then return {0} end
local hs = string.match(head, '^{"seq":(%d+),') or '-1'
if hs ~= ARGV[2] then return {0, head} end
redis.call('LPOP', KEYS[1])
redis.call('DECR', KEYS[2])
local nxt = redis.call('LINDEX', KEYS[1], 0)
if nxt then
  local ts = string.match(nxt, '^{"seq":%d+,"receivedAt":(%d+),')
  if ts then redis.call('ZADD', KEYS[3], ts, ARGV[1]) end
  return {1, nxt}
end
redis.call('ZREM', KEYS[3], ARGV[1])
return {1}
`;

/** New drain fencing token. KEYS: claims, active. ARGV: streamId. */
export const CLAIM_LUA = `
local t = redis.call('INCR', KEYS[1])
redis.call('HSET', KEYS[2], ARGV[1], t)
return tostring(t)
`;

/** Raise the partition's leader fence to ARGV[1] if higher. KEYS: fence. Returns 1 raised, 0 not. */
export const FENCE_LUA = `
local cur = redis.call('GET', KEYS[1])
if cur and tonumber(cur) >= tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[1])
return 1
`;
