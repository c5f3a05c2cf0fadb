-- Queue statistics in one consistent read.
-- KEYS[1..4] pending LISTs of ranks 0..3, KEYS[5] scheduled, KEYS[6] retry, KEYS[7] running, KEYS[8] dead,
-- KEYS[9] meta; ARGV[1] task key prefix
-- Returns: pending, scheduled, retry, running, dead, pending per rank 0..3 (4 values),
--   oldest createdAt at the head of a pending list (ms, -1 none), paused (0/1), succeeded, failed, deadTotal,
--   cancelled, expiredLeases
local out = { 0 }
for i = 5, 8 do
  out[#out + 1] = redis.call('ZCARD', KEYS[i])
end
local oldest = -1
for r = 1, 4 do
  local n = redis.call('LLEN', KEYS[r])
  out[1] = out[1] + n
  out[#out + 1] = n
  local head = redis.call('LINDEX', KEYS[r], 0)
  if head then
    local spec = redis.call('HGET', ARGV[1] .. head, 'spec')
    local c = spec and tonumber(string.match(spec, '^[^|]*|[^|]*|[^|]*|[^|]*|[^|]*|[^|]*|([^|]*)'))
    if c and (oldest < 0 or c < oldest) then
      oldest = c
    end
  end
end
out[#out + 1] = oldest
local m = redis.call('HMGET', KEYS[9], 'paused', 'succeeded', 'failed', 'dead', 'cancelled', 'expiredLeases')
out[#out + 1] = m[1] and 1 or 0
for i = 2, 6 do
  out[#out + 1] = tonumber(m[i] or '0')
end
return out
