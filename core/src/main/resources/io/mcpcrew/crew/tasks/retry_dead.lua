-- include: lib.lua
-- Puts a DEAD task back in the queue: PENDING with attempts 0, at the back of its list, no TTL again.
-- KEYS[1] dead, KEYS[2] names; ARGV[1] task key prefix, ARGV[2] id, ARGV[3] now (ms), ARGV[4] pending list prefix
-- Returns "PENDING", the task's current state if it is not DEAD, or "MISSING".
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
pushPending(ARGV[4], KEYS[2], f[2], ARGV[2], false)
return 'PENDING'
