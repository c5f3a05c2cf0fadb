-- Reads one or every schedule of a queue (all keys share the queue's hash tag).
-- KEYS[1] schedules HASH, KEYS[2] schedule-due ZSET, KEYS[3] schedule-fired HASH
-- ARGV[1] schedule name ("" = every schedule)
-- Returns 4 values per schedule: name, spec text, next tick ("" = paused), last tick fired ("" = none).
local out = {}
local function add(name, spec)
  out[#out + 1] = name
  out[#out + 1] = spec
  out[#out + 1] = redis.call('ZSCORE', KEYS[2], name) or ''
  out[#out + 1] = redis.call('HGET', KEYS[3], name) or ''
end
if ARGV[1] ~= '' then
  local spec = redis.call('HGET', KEYS[1], ARGV[1])
  if spec then
    add(ARGV[1], spec)
  end
else
  local all = redis.call('HGETALL', KEYS[1])
  for i = 1, #all, 2 do
    add(all[i], all[i + 1])
  end
end
return out
