-- Creates a session (or restores one written during a Redis outage) and indexes it.
-- KEYS[1] session hash, KEYS[2] the user's index (same hash tag)
-- ARGV[1] id, ARGV[2] userId, ARGV[3] ttl ms, ARGV[4] dataBytes, ARGV[5] createdAt ms or '' (now),
-- ARGV[6] lastAccessedAt ms or '' (now), ARGV[7] expiresAt ms or '' (now + ttl; a restore keeps its expiry),
-- ARGV[8..] pairs of 'd:<name>', JSON value
-- Returns the expiry (epoch ms); -1 if a session with this id exists already, -2 if ARGV[7] has passed (nothing
-- written either way).
-- include: lib.lua
if redis.call('EXISTS', KEYS[1]) == 1 then
  return -1
end
local now = now_ms()
local lifetime = tonumber(ARGV[3])
if ARGV[7] ~= '' then
  lifetime = tonumber(ARGV[7]) - now
  if lifetime < 1 then
    return -2
  end
end
for i = 8, #ARGV, 2 do
  redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
end
local created = ARGV[5] ~= '' and ARGV[5] or ms(now)
redis.call('HSET', KEYS[1], 'userId', ARGV[2], 'createdAt', created, 'dataBytes', ARGV[4])
local expires = renew(KEYS[1], KEYS[2], ARGV[1], lifetime, now)
redis.call('HSET', KEYS[1], 'ttlMs', ARGV[3])
if ARGV[6] ~= '' then
  redis.call('HSET', KEYS[1], 'lastAccessedAt', ARGV[6])
end
return expires
