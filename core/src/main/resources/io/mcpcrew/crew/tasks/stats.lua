-- include: lib.lua
-- Queue statistics in one consistent read.
-- KEYS[1] scheduled, KEYS[2] retry, KEYS[3] running, KEYS[4] dead, KEYS[5] meta, KEYS[6] names, KEYS[7] served,
-- KEYS[8..11] the pending LISTs of wire format 1 (critical, high, normal, low; emptied by the next claim)
-- ARGV[1] task key prefix, ARGV[2] pending list prefix
-- Returns: scheduled, retry, running, dead, pending per priority (4 values: critical .. low), paused (0/1),
--   succeeded, failed, deadTotal, cancelled, expiredLeases, when every name was last served ("*", ms, -1 never),
--   flow parents waiting for their children (WAITING_CHILDREN), then per task name in the names SET 4 values: name, pending, when the oldest of them became due (ms, -1 none),
--   when the name was last served (ms, -1 never).
local out = {}
for i = 1, 4 do
  out[#out + 1] = redis.call('ZCARD', KEYS[i])
end
local byPriority = {}
for r = 1, 4 do
  byPriority[r] = redis.call('LLEN', KEYS[7 + r])
end
local perName = {}
local names = redis.call('SMEMBERS', KEYS[6])
table.sort(names)
for _, name in ipairs(names) do
  local pending, oldest = 0, -1
  for r = 1, 4 do
    local list = ARGV[2] .. PRIORITIES[r] .. ':' .. name
    local len = redis.call('LLEN', list)
    if len > 0 then
      pending = pending + len
      byPriority[r] = byPriority[r] + len
      local head = redis.call('LINDEX', list, 0)
      local f = redis.call('HMGET', ARGV[1] .. head, 'runAt', 'spec')
      local due = tonumber(f[1] or '')
      if not due and f[2] then
        due = tonumber(string.match(f[2], '^[^|]*|[^|]*|[^|]*|[^|]*|[^|]*|[^|]*|([^|]*)'))
      end
      if due and (oldest < 0 or due < oldest) then
        oldest = due
      end
    end
  end
  perName[#perName + 1] = name
  perName[#perName + 1] = pending
  perName[#perName + 1] = oldest
  perName[#perName + 1] = tonumber(redis.call('HGET', KEYS[7], name) or '-1')
end
for r = 1, 4 do
  out[#out + 1] = byPriority[r]
end
local m = redis.call('HMGET', KEYS[5], 'paused', 'succeeded', 'failed', 'dead', 'cancelled', 'expiredLeases')
out[#out + 1] = m[1] and 1 or 0
for i = 2, 6 do
  out[#out + 1] = tonumber(m[i] or '0')
end
out[#out + 1] = tonumber(redis.call('HGET', KEYS[7], '*') or '-1')
out[#out + 1] = tonumber(redis.call('HGET', KEYS[5], 'waitingChildren') or '0')
for _, v in ipairs(perName) do
  out[#out + 1] = v
end
return out
