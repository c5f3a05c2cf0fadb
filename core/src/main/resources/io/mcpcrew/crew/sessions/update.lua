-- Merges changes into live sessions' data, atomically; never recreates a missing session. Decides one update or
-- several (concurrent updates merged by the store) in order; one update's error never fails the others.
-- Per update i: KEYS[2i-1] session hash, KEYS[2i] the user's index;
-- ARGV from the update's start: count c of its arguments, then id, max data bytes, '1' to renew the expiry
-- (sliding), n = fields to set, then n pairs 'd:<name>', JSON value, then the 'd:<name>' fields to remove.
-- Returns per update {0, dataBytes} on success, {-1, 0} if not found, {-2, dataBytes it would have had} if too
-- large, or {error message, 0}.
-- include: lib.lua
local now = now_ms() -- a Lua number reaches Redis as its integer text: no format per run

-- a: index in ARGV of the update's id (its first argument), z: of its last; one pass over the fields to set sizes the
-- replaced values and builds the one HSET of the new values and the metadata
local function update(key, index, a, z, maxBytes)
  local current = redis.call('HGET', key, 'dataBytes') -- every session has it: false means no such session
  if not current then
    return -1, 0
  end
  local size = tonumber(current)
  local last = a + 3 + 2 * tonumber(ARGV[a + 3])
  local hset = {'dataBytes', 0, 'lastAccessedAt', now}
  for i = a + 4, last, 2 do
    local field, value = ARGV[i], ARGV[i + 1]
    local old = redis.call('HSTRLEN', key, field)
    if old > 0 then
      size = size - (#field - 2) - old
    end
    size = size + (#field - 2) + #value
    hset[#hset + 1] = field
    hset[#hset + 1] = value
  end
  for i = last + 1, z do
    local old = redis.call('HSTRLEN', key, ARGV[i])
    if old > 0 then
      size = size - (#ARGV[i] - 2) - old
    end
  end
  if size > maxBytes then
    return -2, size
  end
  for i = last + 1, z do
    redis.call('HDEL', key, ARGV[i])
  end
  hset[2] = size
  if #hset <= 1000 then
    redis.call('HSET', key, unpack(hset))
  else -- in chunks: Lua's unpack has a stack limit
    for from = 1, #hset, 1000 do
      redis.call('HSET', key, unpack(hset, from, math.min(from + 999, #hset)))
    end
  end
  if ARGV[a + 2] == '1' then
    renew(key, index, ARGV[a], tonumber(redis.call('HGET', key, 'ttlMs')), now)
  end
  return 0, size
end

local out = {}
local at = 1
local maxText, maxBytes = nil, 0 -- the same for every update of a run, as a rule: converted when it changes
for i = 1, #KEYS / 2 do
  local c = tonumber(ARGV[at])
  if ARGV[at + 2] ~= maxText then
    maxText = ARGV[at + 2]
    maxBytes = tonumber(maxText)
  end
  local ok, status, size = pcall(update, KEYS[2 * i - 1], KEYS[2 * i], at + 1, at + c, maxBytes)
  if not ok then
    if type(status) == 'table' then status = status.err end
    status, size = tostring(status), 0
  end
  out[2 * i - 1] = status
  out[2 * i] = size
  at = at + c + 1
end
return out
