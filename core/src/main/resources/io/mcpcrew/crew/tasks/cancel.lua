-- Cancels a PENDING, SCHEDULED or FAILED (waiting retry) task: CANCELLED, out of the queue, the record expires
-- after the task-result TTL. Removing a PENDING task from its list is O(list length) (LREM).
-- KEYS[1..4] pending LISTs of ranks 0..3, KEYS[5] scheduled, KEYS[6] retry, KEYS[7] meta
-- ARGV[1] task key prefix, ARGV[2] id, ARGV[3] now (ms), ARGV[4] result TTL (ms)
-- Returns "CANCELLED" (also when it was cancelled before), the state that prevents it, or "MISSING".
local RANKS = { CRITICAL = 1, HIGH = 2, NORMAL = 3, LOW = 4 }
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
  redis.call('LREM', KEYS[RANKS[string.match(f[2], '^[^|]*|([^|]*)')] or 3], 1, ARGV[2])
end
redis.call('ZREM', KEYS[5], ARGV[2])
redis.call('ZREM', KEYS[6], ARGV[2])
redis.call('HSET', k, 'state', 'CANCELLED', 'finishedAt', ARGV[3])
redis.call('PEXPIRE', k, tonumber(ARGV[4]))
redis.call('HINCRBY', KEYS[7], 'cancelled', 1)
return 'CANCELLED'
