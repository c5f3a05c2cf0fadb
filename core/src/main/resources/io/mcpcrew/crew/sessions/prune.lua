-- Drops a user's expired index entries (cleanup, and before listing).
-- KEYS[1] the user's index; ARGV[1] '1': also return the live session ids, soonest-expiring first
-- Returns {dropped} or {dropped, {live ids}}.
-- include: lib.lua
local now = now_ms()
local dropped = index_put(KEYS[1], nil, nil, now)
if ARGV[1] == '1' then
  return {dropped, redis.call('ZRANGEBYSCORE', KEYS[1], ms(now), '+inf')}
end
return {dropped}
