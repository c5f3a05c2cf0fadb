-- Extends the leases of RUNNING tasks the caller still holds to the given deadline.
-- KEYS[1] running; ARGV[1] task key prefix, ARGV[2] new deadline (ms), then pairs: id, lease token
-- Returns one 1 (renewed) or 0 (lease lost) per task.
local out = {}
for i = 3, #ARGV, 2 do
  local id = ARGV[i]
  if redis.call('HGET', ARGV[1] .. id, 'lease') == ARGV[i + 1] and redis.call('ZSCORE', KEYS[1], id) then
    redis.call('ZADD', KEYS[1], 'XX', ARGV[2], id)
    out[#out + 1] = 1
  else
    out[#out + 1] = 0
  end
end
return out
