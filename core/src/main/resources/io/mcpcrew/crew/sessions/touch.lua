-- Renews a session's expiry (touch, or a read with sliding expiry). Never recreates a missing session.
-- KEYS[1] session hash, KEYS[2] the user's index
-- ARGV[1] id, ARGV[2] new ttl ms or '' (keep the session's ttlMs), ARGV[3] '1': return the hash
-- Returns the new expiry (or the hash as a flat list when ARGV[3] is '1'); -1 (or nil) if not found.
-- include: lib.lua
if redis.call('EXISTS', KEYS[1]) == 0 then
  if ARGV[3] == '1' then
    return false
  end
  return -1
end
local ttl = ARGV[2] ~= '' and tonumber(ARGV[2]) or tonumber(redis.call('HGET', KEYS[1], 'ttlMs'))
local expires = renew(KEYS[1], KEYS[2], ARGV[1], ttl, now_ms())
if ARGV[3] == '1' then
  return redis.call('HGETALL', KEYS[1])
end
return expires
