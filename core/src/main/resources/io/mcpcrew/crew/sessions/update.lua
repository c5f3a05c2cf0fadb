-- Merges changes into live sessions' data, atomically; never recreates a missing session. Decides one update or
-- several (concurrent updates merged by the store) in order; one update's error never fails the others.
-- Per update i: KEYS[2i-1] session hash, KEYS[2i] the user's index;
-- ARGV from the update's start: count c of its arguments, then id, max data bytes, '1' to renew the expiry
-- (sliding), n = fields to set, then n pairs 'd:<name>', JSON value, then the 'd:<name>' fields to remove.
-- Returns per update {0, dataBytes} on success, {-1, 0} if not found, {-2, dataBytes it would have had} if too
-- large, or {error message, 0}.
local now = now_ms()
local nowText = ms(now) -- formatted once per run, not per update
local numbers = {} -- ARGV text -> number, once per run (maxBytes is the same for every update)
local function num(s)
  local v = numbers[s]
  if not v then
    v = tonumber(s)
    numbers[s] = v
  end
  return v
end

-- a: index in ARGV of the update's id (its first argument), z: of its last
local function update(key, index, a, z)
  local current = redis.call('HGET', key, 'dataBytes') -- every session has it: false means no such session
  if not current then
    return -1, 0
  end
  local size = tonumber(current)
  local last = a + 3 + 2 * num(ARGV[a + 3])
  local function drop_old(field)
    local old = redis.call('HSTRLEN', key, field)
    if old > 0 then
      size = size - (#field - 2) - old
    end
  end
  for i = a + 4, last, 2 do
    drop_old(ARGV[i])
    size = size + (#ARGV[i] - 2) + #ARGV[i + 1]
  end
  for i = last + 1, z do
    drop_old(ARGV[i])
  end
  if size > num(ARGV[a + 1]) then
    return -2, size
  end
  for i = last + 1, z do
    redis.call('HDEL', key, ARGV[i])
  end
  -- one HSET for the new values and the metadata (in chunks: Lua's unpack has a stack limit)
  local hset = {'dataBytes', size, 'lastAccessedAt', nowText} -- a Lua number reaches Redis as its integer text
  for i = a + 4, last, 2 do
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
  if ARGV[a + 2] == '1' then
    renew(key, index, ARGV[a], tonumber(redis.call('HGET', key, 'ttlMs')), now)
  end
  return 0, size
end

local out = {}
local at = 1
for i = 1, #KEYS / 2 do
  local c = num(ARGV[at])
  local ok, status, size = pcall(update, KEYS[2 * i - 1], KEYS[2 * i], at + 1, at + c)
  if not ok then
    if type(status) == 'table' then status = status.err end
    status, size = tostring(status), 0
  end
  out[#out + 1] = status
  out[#out + 1] = size
  at = at + c + 1
end
return out
