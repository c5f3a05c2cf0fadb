-- Puts a DEAD task back in the queue: PENDING with attempts 0, at the back of its priority, no TTL again.
-- KEYS[1] dead, KEYS[2] pending, KEYS[3] seq; ARGV[1] task key prefix, ARGV[2] id, ARGV[3] now (ms)
-- Returns "PENDING", the task's current state if it is not DEAD, or "MISSING".
local k = ARGV[1] .. ARGV[2]
local f = redis.call('HMGET', k, 'state', 'spec')
if not f[1] then
  return 'MISSING'
end
if f[1] ~= 'DEAD' then
  return f[1]
end
local rank = ({ CRITICAL = 0, HIGH = 1, NORMAL = 2, LOW = 3 })[string.match(f[2], '^[^|]*|([^|]*)')] or 2
local score = string.format('%.0f', rank * 1e15 + redis.call('INCR', KEYS[3]))
redis.call('ZREM', KEYS[1], ARGV[2])
redis.call('PERSIST', k)
redis.call('HSET', k, 'state', 'PENDING', 'attempts', 0, 'score', score, 'runAt', ARGV[3], 'finishedAt', '')
redis.call('ZADD', KEYS[2], score, ARGV[2])
return 'PENDING'
