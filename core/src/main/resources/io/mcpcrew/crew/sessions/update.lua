-- Merges changes into a live session's data, atomically; never recreates a missing session.
-- KEYS[1] session hash, KEYS[2] the user's index
-- ARGV[1] id, ARGV[2] max data bytes, ARGV[3] '1' to renew the expiry (sliding), ARGV[4] n = fields to set,
-- then n pairs 'd:<name>', JSON value, then the 'd:<name>' fields to remove.
-- Returns {0, dataBytes} on success, {-1, 0} if not found, {-2, dataBytes it would have had} if too large.
local key = KEYS[1]
local current = redis.call('HGET', key, 'dataBytes') -- every session has it: false means no such session
if not current then
  return {-1, 0}
end
local size = tonumber(current)
local last = 4 + 2 * tonumber(ARGV[4])
local function drop_old(field)
  local old = redis.call('HSTRLEN', key, field)
  if old > 0 then
    size = size - (#field - 2) - old
  end
end
for i = 5, last, 2 do
  drop_old(ARGV[i])
  size = size + (#ARGV[i] - 2) + #ARGV[i + 1]
end
for i = last + 1, #ARGV do
  drop_old(ARGV[i])
end
if size > tonumber(ARGV[2]) then
  return {-2, size}
end
for i = last + 1, #ARGV do
  redis.call('HDEL', key, ARGV[i])
end
local now = now_ms()
-- one HSET for the new values and the metadata (in chunks: Lua's unpack has a stack limit)
local hset = {'dataBytes', ms(size), 'lastAccessedAt', ms(now)}
for i = 5, last, 2 do
  hset[#hset + 1] = ARGV[i]
  hset[#hset + 1] = ARGV[i + 1]
  if #hset >= 1000 then
    redis.call('HSET', key, unpack(hset))
    hset = {}
  end
end
if #hset > 0 then
  redis.call('HSET', key, unpack(hset))
end
if ARGV[3] == '1' then
  renew(key, KEYS[2], ARGV[1], tonumber(redis.call('HGET', key, 'ttlMs')), now)
end
return {0, size}
