-- include: lib.lua
-- Enqueues one or more tasks of one queue (all keys share the queue's hash tag).
-- KEYS[1] scheduled ZSET, KEYS[2] names SET
-- ARGV[1] task key prefix ("<prefix>:<tenant>:tasks:{<tenant>.<queue>}:task:")
-- ARGV[2] idempotency key prefix ("...:idem:"), ARGV[3] now (ms), ARGV[4] idempotency TTL (ms), ARGV[5] count,
-- ARGV[6] pending list prefix ("...:pending:"),
-- then per task 5 values: id, spec, payload, runAt (ms, 0 = now), idempotency key ("" = none)
-- where spec = "name|priority|maxAttempts|backoffBaseMs|backoffCapMs|timeoutMs|createdAtMs|idempotencyKey".
-- A task due now is appended (RPUSH) to the pending list of its priority and name (lib.lua), and its name added to
-- the names SET; a later one goes to the scheduled set.
-- Returns the ids, in order: a repeated idempotency key returns the first task's id and enqueues nothing; an id
-- whose task record exists already (the replay of a write whose first outcome was unknown) is not enqueued again.
local now = tonumber(ARGV[3])
local n = tonumber(ARGV[5])
local ids = {}
local lists, order, names = {}, {}, {}
for i = 0, n - 1 do
  local b = 7 + i * 5
  local id, spec, idem = ARGV[b], ARGV[b + 1], ARGV[b + 4]
  local existing = false
  if redis.call('EXISTS', ARGV[1] .. id) == 1 then
    existing = id
  elseif idem ~= '' then
    local ik = ARGV[2] .. idem
    existing = redis.call('GET', ik)
    if not existing then
      redis.call('SET', ik, id, 'PX', ARGV[4])
    end
  end
  if existing then
    ids[#ids + 1] = existing
  else
    local runAt = tonumber(ARGV[b + 3])
    if runAt > now then
      redis.call('HSET', ARGV[1] .. id, 'spec', spec, 'payload', ARGV[b + 2], 'state', 'SCHEDULED', 'runAt', runAt)
      redis.call('ZADD', KEYS[1], runAt, id)
    else
      redis.call('HSET', ARGV[1] .. id, 'spec', spec, 'payload', ARGV[b + 2], 'state', 'PENDING')
      local list, name = pendingListOf(ARGV[6], spec)
      if not lists[list] then
        lists[list] = {}
        order[#order + 1] = list
        names[#names + 1] = name
      end
      local l = lists[list]
      l[#l + 1] = id
    end
    ids[#ids + 1] = id
  end
end
for _, list in ipairs(order) do
  redis.call('RPUSH', list, unpack(lists[list]))
end
if #names > 0 then
  redis.call('SADD', KEYS[2], unpack(names))
end
return ids
