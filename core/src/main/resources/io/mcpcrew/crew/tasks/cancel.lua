-- Cancels a PENDING, SCHEDULED or FAILED (waiting retry) task: CANCELLED, out of the queue, the record expires
-- after the task-result TTL.
-- KEYS[1] pending, KEYS[2] scheduled, KEYS[3] retry, KEYS[4] meta
-- ARGV[1] task key prefix, ARGV[2] id, ARGV[3] now (ms), ARGV[4] result TTL (ms)
-- Returns "CANCELLED", the task's current state if it cannot be cancelled, or "MISSING".
local k = ARGV[1] .. ARGV[2]
local state = redis.call('HGET', k, 'state')
if not state then
  return 'MISSING'
end
if state ~= 'PENDING' and state ~= 'SCHEDULED' and state ~= 'FAILED' then
  return state
end
redis.call('ZREM', KEYS[1], ARGV[2])
redis.call('ZREM', KEYS[2], ARGV[2])
redis.call('ZREM', KEYS[3], ARGV[2])
redis.call('HSET', k, 'state', 'CANCELLED', 'finishedAt', ARGV[3])
redis.call('PEXPIRE', k, tonumber(ARGV[4]))
redis.call('HINCRBY', KEYS[4], 'cancelled', 1)
return 'CANCELLED'
