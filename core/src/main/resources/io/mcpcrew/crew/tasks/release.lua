-- Gives RUNNING tasks back unfinished (graceful shutdown past its grace period): PENDING again at the head of
-- their priority's list, the interrupted attempt not counted.
-- KEYS[1] running, KEYS[2..5] pending LISTs of ranks 0..3; ARGV[1] task key prefix, then pairs: id, lease
-- Returns how many were released.
local RANKS = { CRITICAL = 2, HIGH = 3, NORMAL = 4, LOW = 5 }
local n = 0
for i = 2, #ARGV, 2 do
  local id = ARGV[i]
  local k = ARGV[1] .. id
  if redis.call('ZREM', KEYS[1], ARGV[i + 1]) == 1 then
    local f = redis.call('HMGET', k, 'spec', 'attempts')
    if f[1] then
      redis.call('HSET', k, 'state', 'PENDING', 'attempts', math.max(0, tonumber(f[2] or '1') - 1))
      redis.call('LPUSH', KEYS[RANKS[string.match(f[1], '^[^|]*|([^|]*)')] or 4], id)
      n = n + 1
    end
  end
end
return n
