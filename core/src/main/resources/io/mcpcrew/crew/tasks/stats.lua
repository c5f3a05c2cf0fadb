-- Queue statistics in one consistent read.
-- KEYS[1] pending, KEYS[2] scheduled, KEYS[3] retry, KEYS[4] running, KEYS[5] dead, KEYS[6] meta
-- ARGV[1] task key prefix
-- Returns: pending, scheduled, retry, running, dead, pending per rank 0..3 (4 values),
--   oldest pending createdAt (ms, -1 none), paused (0/1), succeeded, failed, deadTotal, cancelled, expiredLeases
local out = {}
for i = 1, 5 do
  out[#out + 1] = redis.call('ZCARD', KEYS[i])
end
local oldest = -1
for rank = 0, 3 do
  local lo = rank * 1e15
  out[#out + 1] = redis.call('ZCOUNT', KEYS[1], string.format('%.0f', lo), '(' .. string.format('%.0f', lo + 1e15))
  local first = redis.call('ZRANGEBYSCORE', KEYS[1], string.format('%.0f', lo), '(' .. string.format('%.0f', lo + 1e15),
    'LIMIT', 0, 1)
  if first[1] then
    local spec = redis.call('HGET', ARGV[1] .. first[1], 'spec')
    local c = spec and tonumber(string.match(spec, '^[^|]*|[^|]*|[^|]*|[^|]*|[^|]*|[^|]*|([^|]*)'))
    if c and (oldest < 0 or c < oldest) then
      oldest = c
    end
  end
end
out[#out + 1] = oldest
local m = redis.call('HMGET', KEYS[6], 'paused', 'succeeded', 'failed', 'dead', 'cancelled', 'expiredLeases')
out[#out + 1] = m[1] and 1 or 0
for i = 2, 6 do
  out[#out + 1] = tonumber(m[i] or '0')
end
return out
