-- include: lib.lua
-- Cancels a PENDING, SCHEDULED or FAILED (waiting retry) task, or a flow parent WAITING_CHILDREN: CANCELLED, out of
-- the queue, the record expires after the task-result TTL. Removing a PENDING task from its list is O(list length)
-- (LREM). Cancelling a flow parent also cancels those of its children that have not started (PENDING, SCHEDULED,
-- FAILED); running ones finish. A cancelled flow child is recorded in its parent (lib.lua childFinished): under
-- FAIL_PARENT the parent becomes DEAD, under RUN_PARENT it counts as finished.
-- KEYS[1] scheduled, KEYS[2] retry, KEYS[3] meta, KEYS[4..7] the pending LISTs of wire format 1 (critical, high,
-- normal, low; a task enqueued before the upgrade may still be there), KEYS[8] dead, KEYS[9] names, KEYS[10]
-- completion stream
-- ARGV[1] task key prefix, ARGV[2] id, ARGV[3] now (ms), ARGV[4] result TTL (ms, also the completion stream's),
-- ARGV[5] pending list prefix, ARGV[6] dead-letter TTL (ms), ARGV[7] completion stream max length (0 = no stream)
-- Returns "CANCELLED" (also when it was cancelled before), the state that prevents it, or "MISSING".
local prefix = ARGV[1]
local flow = { prefix = prefix, pendingPrefix = ARGV[5], names = KEYS[9], dead = KEYS[8], meta = KEYS[3],
  now = tonumber(ARGV[3]), deadTtl = tonumber(ARGV[6]), stream = KEYS[10], streamMax = tonumber(ARGV[7]) }
local streamAdded = false

local function cancel(id)
  local k = prefix .. id
  local f = redis.call('HMGET', k, 'state', 'spec', 'childCount')
  local state = f[1]
  if not state then
    return 'MISSING'
  end
  if state ~= 'PENDING' and state ~= 'SCHEDULED' and state ~= 'FAILED' and state ~= 'WAITING_CHILDREN' then
    return state
  end
  if state == 'PENDING' then
    if redis.call('LREM', pendingListOf(ARGV[5], f[2]), 1, id) == 0 then
      for r = 4, 7 do
        redis.call('LREM', KEYS[r], 1, id)
      end
    end
  end
  redis.call('ZREM', KEYS[1], id)
  redis.call('ZREM', KEYS[2], id)
  redis.call('HSET', k, 'state', 'CANCELLED', 'finishedAt', ARGV[3])
  redis.call('PEXPIRE', k, tonumber(ARGV[4]))
  redis.call('HINCRBY', KEYS[3], 'cancelled', 1)
  if state == 'WAITING_CHILDREN' then
    redis.call('HINCRBY', KEYS[3], 'waitingChildren', -1)
  end
  streamAdded = childFinished(flow, k, 'CANCELLED', '') or streamAdded
  return 'CANCELLED', state, tonumber(f[3] or '0')
end

local result, was, children = cancel(ARGV[2])
if was == 'WAITING_CHILDREN' then
  local fields = {}
  for i = 1, children do
    fields[i] = 'child:' .. i
  end
  for _, v in ipairs(redis.call('HMGET', prefix .. ARGV[2], unpack(fields))) do
    if v then
      cancel(string.match(v, '^([^|]*)'))
    end
  end
end
if streamAdded then
  redis.call('PEXPIRE', KEYS[10], ARGV[4])
end
return result
