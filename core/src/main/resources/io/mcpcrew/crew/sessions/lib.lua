-- Shared functions of the session scripts, each of which includes them ('-- include: lib.lua', see LuaScript).
-- Times are Redis server time in epoch milliseconds, so every node and every script agrees on "now".
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

local function ms(x)
  return string.format('%.0f', x)
end

-- Drops the index entries of expired sessions (score < now: Redis expires a key when now > its expiry), adds or
-- moves one entry if id is given, and gives the index the expiry of its latest member (an empty index is gone).
-- Returns how many entries were dropped.
local function index_put(index, id, expires, now)
  local dropped = redis.call('ZREMRANGEBYSCORE', index, '-inf', '(' .. ms(now))
  if id then
    redis.call('ZADD', index, ms(expires), id)
  end
  local top = redis.call('ZRANGE', index, -1, -1, 'WITHSCORES')
  if top[2] then
    redis.call('PEXPIREAT', index, top[2])
  end
  return dropped
end

-- Renews a live session: expiry = now + ttl, in the hash, as the key's TTL and as its index score.
local function renew(key, index, id, ttl, now)
  local expires = now + ttl
  redis.call('HSET', key, 'lastAccessedAt', ms(now), 'expiresAt', ms(expires), 'ttlMs', ms(ttl))
  redis.call('PEXPIRE', key, ms(ttl))
  index_put(index, id, expires, now)
  return expires
end

