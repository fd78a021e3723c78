/**
 * Lua scripts of the mailbox. Entries are stored as `{"seq":N,"receivedAt":T,...}` (the script prepends the
 * seq to the JSON body the client built), so the scripts read seq and receivedAt with a pattern match.
 */

/**
 * Lua helper shared by the scripts: the event timestamp of an entry (`"ts":E` right after `receivedAt`), or nil
 * for an entry written without one (an older ingester, a replay of an old dead letter).
 */
const ENTRY_TS_LUA = `
local function entryTs(e)
  if not e then return nil end
  return tonumber(string.match(e, '^{"seq":%d+,"receivedAt":%d+,"ts":(%d+),'))
end
`;

/**
 * Lua helpers for the processed mark of a head: `entryKey(e)` is the entry's event key (read by pattern from the
 * fixed field order `seq, receivedAt, ts?, v, key`; an entry whose key holds escaped characters, or another
 * layout, is decoded with cjson), nil for a corrupt entry. `processedFlag(e, donePrefix)` is 1 when the key's
 * processed mark (`donePrefix .. key`, MailboxKeys.processed) exists, else 0. The mark key is built in the
 * script, not declared: it carries the partition's hash tag, so it is in the slot of the declared keys (as
 * BullMQ builds its job keys from its `{queue}` prefix).
 */
const ENTRY_PROCESSED_LUA = `
local function entryKey(e)
  if not e then return nil end
  local k = string.match(e, '^{"seq":%d+,"receivedAt":%d+,"ts":%d+,"v":%d+,"key":"([^"\\\\]+)",')
    or string.match(e, '^{"seq":%d+,"receivedAt":%d+,"v":%d+,"key":"([^"\\\\]+)",')
  if k then return k end
  local ok, d = pcall(cjson.decode, e)
  if ok and type(d) == 'table' and type(d.key) == 'string' and d.key ~= '' then return d.key end
  return nil
end
local function processedFlag(e, donePrefix)
  local k = entryKey(e)
  if not k then return 0 end
  return redis.call('EXISTS', donePrefix .. k)
end
`;

/** Entries an enqueue walks back over (from the tail) to place an older event: bounds the script's work. */
export const MAX_INSERT_SCAN = 1000;

/**
 * KEYS: pending, backlog, seq, fence, list keys (one per distinct stream), seen keys (one per item).
 * ARGV: token ('' = unfenced), ttlSec, nStreams, nItems, then per item (streamIndex, receivedAt, ts or '', body),
 * then the stream ids. Returns {-1} when fenced, else {added, duplicates, moved, freshStream...}.
 *
 * An item is appended, unless the stream's pending entries end with events whose timestamp is greater than
 * its own (an older event arriving late, e.g. a redelivered batch after a leader failover): then it is inserted
 * before the first of that run of newer entries, so the list stays ordered by (timestamp, arrival). The walk
 * stops at an entry without a timestamp and after MAX_INSERT_SCAN entries (what is left out of order is
 * flagged late when it is handled). `moved` counts the items so placed.
 */
export const ENQUEUE_LUA = `${ENTRY_TS_LUA}
local token = ARGV[1]
local ttl = tonumber(ARGV[2])
local nStreams = tonumber(ARGV[3])
local nItems = tonumber(ARGV[4])
local maxScan = ${MAX_INSERT_SCAN}
if token ~= '' then
  local cur = redis.call('GET', KEYS[4])
  if cur and tonumber(cur) > tonumber(token) then return {-1} end
  if cur ~= token then redis.call('SET', KEYS[4], token) end
end
local added, dups, moved = 0, 0, 0
local fresh = {}
local sidBase = 4 + nItems * 4
for i = 1, nItems do
  local a = 4 + (i - 1) * 4
  local sIdx = tonumber(ARGV[a + 1])
  if redis.call('SET', KEYS[4 + nStreams + i], '1', 'NX', 'EX', ttl) then
    local sid = ARGV[sidBase + sIdx]
    local list = KEYS[4 + sIdx]
    local seq = redis.call('HINCRBY', KEYS[3], sid, 1)
    local entry = '{"seq":' .. seq .. ',' .. ARGV[a + 4]
    local ts = tonumber(ARGV[a + 3])
    local pivot = nil
    if ts then
      local tailTs = entryTs(redis.call('LINDEX', list, -1))
      if tailTs and tailTs > ts then
        -- Walk back from the tail over the entries newer than this one; insert before the oldest of them.
        local idx = redis.call('LLEN', list) - 1
        local scanned, stop = 0, false
        while idx >= 0 and not stop and scanned < maxScan do
          local from = math.max(0, idx - 99)
          local chunk = redis.call('LRANGE', list, from, idx)
          for j = #chunk, 1, -1 do
            local ets = entryTs(chunk[j])
            if not ets or ets <= ts or scanned >= maxScan then stop = true break end
            pivot = chunk[j]
            scanned = scanned + 1
          end
          idx = from - 1
        end
      end
    end
    if pivot then
      redis.call('LINSERT', list, 'BEFORE', pivot, entry)
      moved = moved + 1
    else
      local len = redis.call('RPUSH', list, entry)
      if len == 1 then
        redis.call('ZADD', KEYS[2], ARGV[a + 2], sid)
        fresh[#fresh + 1] = sid
      end
    end
    added = added + 1
  else
    dups = dups + 1
  end
end
if added > 0 then redis.call('INCRBY', KEYS[1], added) end
return {added, dups, moved, unpack(fresh)}
`;

/** Entries the ack looks through for the one it handled when the head is another (an older event went first). */
export const ACK_SCAN = 64;

/**
 * Mark-and-compare-and-pop. KEYS: list, pending, backlog, active, handled, handed, [processed mark of the acked
 * event].
 * ARGV: streamId, seq, token, donePrefix, outcome ('' = no mark), markTtlSec.
 * Returns {-1} fenced, {0, head|false, late, processed} mismatch, {1, next|false, late, processed} acked.
 *
 * With an outcome, the acked event's processed mark (KEYS[6]) is set first, whatever the token: the event was
 * handled, as a separate SET before the ack recorded it before (a fenced drain's successor then skips it).
 * Acked: the entry with `seq` is removed: normally the head; or, when an older event was placed before it
 * while it was being handled, found among the first ACK_SCAN entries (the head is then that older event). The
 * stream's handled mark (highest event timestamp handled) is raised to the removed entry's timestamp, and
 * `late` (1/0) says whether the new head is older than it: its successors were handled before it. `processed`
 * (1/0) says whether the returned head already has its processed mark (ENTRY_PROCESSED_LUA). The returned head
 * is recorded as handed to this drain (`handed`: token and seq, see CLAIM_PEEK_LUA).
 */
export const ACK_LUA = `${ENTRY_TS_LUA}${ENTRY_PROCESSED_LUA}
if ARGV[5] ~= '' then redis.call('SET', KEYS[7], ARGV[5], 'EX', ARGV[6]) end
if redis.call('HGET', KEYS[4], ARGV[1]) ~= ARGV[3] then return {-1} end
local head = redis.call('LINDEX', KEYS[1], 0)
if not head then return {0} end
local prefix = '{"seq":' .. ARGV[2] .. ','
local done = nil
-- A head without a readable seq (corrupt) is acked as seq -1.
if (string.match(head, '^{"seq":(%d+),') or '-1') == ARGV[2] then
  done = head
  redis.call('LPOP', KEYS[1])
else
  local firsts = redis.call('LRANGE', KEYS[1], 1, ${ACK_SCAN})
  for _, e in ipairs(firsts) do
    if string.sub(e, 1, #prefix) == prefix then done = e break end
  end
  if not done then
    local hts = entryTs(head)
    local hw0 = tonumber(redis.call('HGET', KEYS[5], ARGV[1]))
    local late0 = 0
    if hts and hw0 and hts < hw0 then late0 = 1 end
    redis.call('HSET', KEYS[6], ARGV[1], ARGV[3] .. ':' .. (string.match(head, '^{"seq":(%d+),') or '-1'))
    return {0, head, late0, processedFlag(head, ARGV[4])}
  end
  redis.call('LREM', KEYS[1], 1, done)
end
redis.call('DECR', KEYS[2])
local dts = entryTs(done)
local hw = tonumber(redis.call('HGET', KEYS[5], ARGV[1]))
if dts and (not hw or dts > hw) then
  redis.call('HSET', KEYS[5], ARGV[1], dts)
  hw = dts
end
local nxt = redis.call('LINDEX', KEYS[1], 0)
if nxt then
  local rs = string.match(nxt, '^{"seq":%d+,"receivedAt":(%d+),')
  if rs then redis.call('ZADD', KEYS[3], rs, ARGV[1]) end
  local nts = entryTs(nxt)
  local late = 0
  if nts and hw and nts < hw then late = 1 end
  redis.call('HSET', KEYS[6], ARGV[1], ARGV[3] .. ':' .. (string.match(nxt, '^{"seq":(%d+),') or '-1'))
  return {1, nxt, late, processedFlag(nxt, ARGV[4])}
end
redis.call('ZREM', KEYS[3], ARGV[1])
return {1, false, 0, 0}
`;

/**
 * The head, whether it is late and whether it is processed. KEYS: list, handled. ARGV: streamId, donePrefix.
 * Returns {head|false, late, processed}: late (1/0) when the head's event timestamp is below the highest one
 * already handled in the stream; processed (1/0) when the head's processed mark exists.
 */
export const PEEK_LUA = `${ENTRY_TS_LUA}${ENTRY_PROCESSED_LUA}
local head = redis.call('LINDEX', KEYS[1], 0)
if not head then return {false, 0, 0} end
local hts = entryTs(head)
local hw = tonumber(redis.call('HGET', KEYS[2], ARGV[1]))
local late = 0
if hts and hw and hts < hw then late = 1 end
return {head, late, processedFlag(head, ARGV[2])}
`;

/** New drain fencing token. KEYS: claims, active. ARGV: streamId. */
export const CLAIM_LUA = `
local t = redis.call('INCR', KEYS[1])
redis.call('HSET', KEYS[2], ARGV[1], t)
return tostring(t)
`;

/**
 * CLAIM_LUA then PEEK_LUA in one round trip (what a drain does first). KEYS: claims, active, list, handled,
 * handed. ARGV: streamId, donePrefix. Returns {token, head|false, late, processed, maybeStarted}.
 *
 * `maybeStarted` (1/0): whether a drain may already have started on this head, so its marks must be read
 * before anything is done (docs/worker.md, "Round trips per event"). It is 0 only when the stream's previous
 * claim recorded its hand-outs (`handed`: the token and seq of the last entry a claim or an ack gave a drain)
 * and the last one was another entry: the head was enqueued after its predecessor was acked, and no drain has
 * seen it. A stream never claimed is 0 too; one whose previous claim left no record (a worker of an older
 * version) is 1. The head is recorded as handed to the new claim.
 */
export const CLAIM_PEEK_LUA = `${ENTRY_TS_LUA}${ENTRY_PROCESSED_LUA}
local prev = redis.call('HGET', KEYS[2], ARGV[1])
local t = redis.call('INCR', KEYS[1])
redis.call('HSET', KEYS[2], ARGV[1], t)
local head = redis.call('LINDEX', KEYS[3], 0)
if not head then
  -- Nothing handed out (seq 0 is never assigned): the next claim's head is one no drain has seen.
  redis.call('HSET', KEYS[5], ARGV[1], tostring(t) .. ':0')
  return {tostring(t), false, 0, 0, 0}
end
local hseq = string.match(head, '^{"seq":(%d+),') or '-1'
local started = 0
if prev then
  local handed = redis.call('HGET', KEYS[5], ARGV[1])
  local hTok, hSeq = nil, nil
  if handed then hTok, hSeq = string.match(handed, '^(%d+):(-?%d+)$') end
  if hTok ~= prev or hSeq == hseq then started = 1 end
end
redis.call('HSET', KEYS[5], ARGV[1], tostring(t) .. ':' .. hseq)
local hts = entryTs(head)
local hw = tonumber(redis.call('HGET', KEYS[4], ARGV[1]))
local late = 0
if hts and hw and hts < hw then late = 1 end
return {tostring(t), head, late, processedFlag(head, ARGV[2]), started}
`;

/** Raise the partition's leader fence to ARGV[1] if higher. KEYS: fence. Returns 1 raised, 0 not. */
export const FENCE_LUA = `
local cur = redis.call('GET', KEYS[1])
if cur and tonumber(cur) >= tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[1])
return 1
`;
