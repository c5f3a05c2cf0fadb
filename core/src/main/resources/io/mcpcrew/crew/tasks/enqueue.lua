-- Enqueues one or more tasks of one queue (all keys share the queue's hash tag).
-- KEYS[1..4] pending LISTs of ranks 0..3 (CRITICAL, HIGH, NORMAL, LOW), KEYS[5] scheduled ZSET
-- ARGV[1] task key prefix ("<prefix>:<tenant>:tasks:{<tenant>.<queue>}:task:")
-- ARGV[2] idempotency key prefix ("...:idem:"), ARGV[3] now (ms), ARGV[4] idempotency TTL (ms), ARGV[5] count
-- then per task 6 values: id, spec, payload, rank (0..3), runAt (ms, 0 = now), idempotency key ("" = none)
-- where spec = "name|priority|maxAttempts|backoffBaseMs|backoffCapMs|timeoutMs|createdAtMs|idempotencyKey".
-- A task due now is appended (RPUSH) to the pending list of its priority; a later one goes to the scheduled set.
-- Returns the ids, in order: a repeated idempotency key returns the first task's id and enqueues nothing; an id
-- whose task record exists already (the replay of a write whose first outcome was unknown) is not enqueued again.
local now = tonumber(ARGV[3])
local n = tonumber(ARGV[5])
local ids = {}
local pending = { {}, {}, {}, {} }
for i = 0, n - 1 do
  local b = 6 + i * 6
  local id, idem = ARGV[b], ARGV[b + 5]
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
    local runAt = tonumber(ARGV[b + 4])
    if runAt > now then
      redis.call('HSET', ARGV[1] .. id, 'spec', ARGV[b + 1], 'payload', ARGV[b + 2], 'state', 'SCHEDULED',
        'runAt', runAt)
      redis.call('ZADD', KEYS[5], runAt, id)
    else
      redis.call('HSET', ARGV[1] .. id, 'spec', ARGV[b + 1], 'payload', ARGV[b + 2], 'state', 'PENDING')
      local list = pending[tonumber(ARGV[b + 3]) + 1]
      list[#list + 1] = id
    end
    ids[#ids + 1] = id
  end
end
for r = 1, 4 do
  if #pending[r] > 0 then
    redis.call('RPUSH', KEYS[r], unpack(pending[r]))
  end
end
return ids
