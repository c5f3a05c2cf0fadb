-- Gives RUNNING tasks back unfinished (graceful shutdown past its grace period): PENDING again at their old
-- place, the interrupted attempt not counted.
-- KEYS[1] running, KEYS[2] pending; ARGV[1] task key prefix, then pairs: id, lease ("<id>|<token>")
-- Returns how many were released.
local n = 0
for i = 2, #ARGV, 2 do
  local id = ARGV[i]
  local k = ARGV[1] .. id
  if redis.call('ZREM', KEYS[1], ARGV[i + 1]) == 1 then
    local f = redis.call('HMGET', k, 'score', 'attempts')
    redis.call('HSET', k, 'state', 'PENDING', 'attempts', math.max(0, tonumber(f[2] or '1') - 1))
    redis.call('ZADD', KEYS[2], f[1], id)
    n = n + 1
  end
end
return n
