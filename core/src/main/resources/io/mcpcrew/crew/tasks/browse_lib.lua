-- Shared by the listing scripts (browse_pending.lua, browse_sorted.lua); not a script of its own.
-- Reads only: nothing here writes.

-- Byte order of two strings (Lua's own < follows the server's locale collation, which may not be byte order).
local function bytesLess(a, b)
  local n = math.min(#a, #b)
  for i = 1, n do
    local x, y = string.byte(a, i), string.byte(b, i)
    if x ~= y then
      return x < y
    end
  end
  return #a < #b
end

-- The fields a listing returns of a task record, in this order (ten values; false for an absent field). The last
-- error is cut at 1000 bytes, so a page stays bounded whatever another writer stored.
local RECORD_FIELDS = { 'spec', 'state', 'attempts', 'runAt', 'startedAt', 'finishedAt', 'lastError', 'progress',
  'progressMessage', 'progressAt' }

-- Appends id, member, position and the record's fields to out; false (nothing appended) if there is no record.
local function appendTask(out, taskPrefix, id, member, position)
  local f = redis.call('HMGET', taskPrefix .. id, unpack(RECORD_FIELDS))
  if not f[1] or not f[2] then
    return false
  end
  if f[7] and #f[7] > 1000 then
    f[7] = string.sub(f[7], 1, 1000)
  end
  out[#out + 1] = id
  out[#out + 1] = member
  out[#out + 1] = tostring(position)
  for i = 1, #RECORD_FIELDS do
    out[#out + 1] = f[i] or ''
  end
  return true
end
