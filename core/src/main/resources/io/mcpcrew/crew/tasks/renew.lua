-- Extends the leases the caller still holds (their "<id>|<token>" members are still in the running set).
-- KEYS[1] running; ARGV[1] new deadline (ms), then the leases
-- Returns one 1 (renewed) or 0 (lease lost) per lease.
local members = {}
for i = 2, #ARGV do
  members[#members + 1] = ARGV[i]
end
local held = redis.call('ZMSCORE', KEYS[1], unpack(members))
local out = {}
for j = 1, #members do
  if held[j] then
    redis.call('ZADD', KEYS[1], 'XX', ARGV[1], members[j])
    out[j] = 1
  else
    out[j] = 0
  end
end
return out
