-- include: lib.lua
-- Cancels a PENDING, SCHEDULED or FAILED (waiting retry) task: CANCELLED, out of the queue, the record expires
-- after the task-result TTL. Removing a PENDING task from its list is O(list length) (LREM).
-- KEYS[1] scheduled, KEYS[2] retry, KEYS[3] meta, KEYS[4..7] the pending LISTs of wire format 1 (critical, high,
-- normal, low; a task enqueued before the upgrade may still be there)
-- ARGV[1] task key prefix, ARGV[2] id, ARGV[3] now (ms), ARGV[4] result TTL (ms), ARGV[5] pending list prefix
-- Returns "CANCELLED" (also when it was cancelled before), the state that prevents it, or "MISSING".
local k = ARGV[1] .. ARGV[2]
local f = redis.call('HMGET', k, 'state', 'spec')
local state = f[1]
if not state then
  return 'MISSING'
end
if state ~= 'PENDING' and state ~= 'SCHEDULED' and state ~= 'FAILED' then
  return state
end
if state == 'PENDING' then
  if redis.call('LREM', pendingListOf(ARGV[5], f[2]), 1, ARGV[2]) == 0 then
    for r = 4, 7 do
      redis.call('LREM', KEYS[r], 1, ARGV[2])
    end
  end
end
redis.call('ZREM', KEYS[1], ARGV[2])
redis.call('ZREM', KEYS[2], ARGV[2])
redis.call('HSET', k, 'state', 'CANCELLED', 'finishedAt', ARGV[3])
redis.call('PEXPIRE', k, tonumber(ARGV[4]))
redis.call('HINCRBY', KEYS[3], 'cancelled', 1)
return 'CANCELLED'
