-- Puts a DEAD task back in the queue: PENDING with attempts 0, at the back of its priority, no TTL again.
-- KEYS[1] dead, KEYS[2..5] pending LISTs of ranks 0..3; ARGV[1] task key prefix, ARGV[2] id, ARGV[3] now (ms)
-- Returns "PENDING", the task's current state if it is not DEAD, or "MISSING".
local RANKS = { CRITICAL = 2, HIGH = 3, NORMAL = 4, LOW = 5 }
local k = ARGV[1] .. ARGV[2]
local f = redis.call('HMGET', k, 'state', 'spec')
if not f[1] then
  return 'MISSING'
end
if f[1] ~= 'DEAD' then
  return f[1]
end
redis.call('ZREM', KEYS[1], ARGV[2])
redis.call('PERSIST', k)
redis.call('HSET', k, 'state', 'PENDING', 'attempts', 0, 'runAt', ARGV[3], 'finishedAt', '')
redis.call('RPUSH', KEYS[RANKS[string.match(f[2], '^[^|]*|([^|]*)')] or 4], ARGV[2])
return 'PENDING'
