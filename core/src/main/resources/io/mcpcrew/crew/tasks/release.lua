-- include: lib.lua
-- Gives RUNNING tasks back unfinished, the interrupted attempt not counted: with no delay PENDING again at the head
-- of their list (a graceful shutdown past its grace period); with a delay SCHEDULED until now + delay (a handler's
-- bulkhead was full, or no handler was at hand), then promoted by a claim like any delayed task.
-- KEYS[1] running, KEYS[2] scheduled, KEYS[3] names
-- ARGV[1] task key prefix, ARGV[2] pending list prefix, ARGV[3] now (ms), ARGV[4] delay (ms), then pairs: id, lease
-- Returns how many were released (leases the caller still held).
local now, delay = tonumber(ARGV[3]), tonumber(ARGV[4])
local n = 0
for i = 5, #ARGV, 2 do
  local id = ARGV[i]
  local k = ARGV[1] .. id
  if redis.call('ZREM', KEYS[1], ARGV[i + 1]) == 1 then
    local f = redis.call('HMGET', k, 'spec', 'attempts')
    if f[1] then
      local attempts = math.max(0, tonumber(f[2] or '1') - 1)
      if delay > 0 then
        redis.call('HSET', k, 'state', 'SCHEDULED', 'attempts', attempts, 'runAt', now + delay)
        redis.call('ZADD', KEYS[2], now + delay, id)
      else
        redis.call('HSET', k, 'state', 'PENDING', 'attempts', attempts)
        pushPending(ARGV[2], KEYS[3], f[1], id, true)
      end
      n = n + 1
    end
  end
end
return n
