-- Enqueues one or more tasks of one queue (all keys share the queue's hash tag).
-- KEYS[1] pending ZSET, KEYS[2] scheduled ZSET, KEYS[3] seq STRING
-- ARGV[1] task key prefix ("<prefix>:<tenant>:tasks:{<tenant>.<queue>}:task:")
-- ARGV[2] idempotency key prefix ("...:idem:"), ARGV[3] now (ms), ARGV[4] idempotency TTL (ms), ARGV[5] count
-- then per task 11 values: id, name, payload, priority name, priority rank (0..3), runAt (ms, 0 = now),
--   maxAttempts, backoffBase (ms), backoffCap (ms), timeout (ms, 0 = none), idempotency key ("" = none)
-- Returns the ids, in order: a duplicate idempotency key returns the first task's id and enqueues nothing.
local now = tonumber(ARGV[3])
local idemTtl = tonumber(ARGV[4])
local n = tonumber(ARGV[5])
local ids = {}
for i = 0, n - 1 do
  local b = 6 + i * 11
  local id, name, payload, prio, rank = ARGV[b], ARGV[b + 1], ARGV[b + 2], ARGV[b + 3], tonumber(ARGV[b + 4])
  local runAt, idem = tonumber(ARGV[b + 5]), ARGV[b + 10]
  local existing = false
  if idem ~= '' then
    local ik = ARGV[2] .. idem
    existing = redis.call('GET', ik)
    if not existing then
      redis.call('SET', ik, id, 'PX', idemTtl)
    end
  end
  if existing then
    ids[#ids + 1] = existing
  else
    local k = ARGV[1] .. id
    local score = string.format('%.0f', rank * 1e15 + redis.call('INCR', KEYS[3]))
    local state = 'PENDING'
    if runAt > now then
      state = 'SCHEDULED'
    else
      runAt = now
    end
    redis.call('HSET', k, 'id', id, 'name', name, 'payload', payload, 'priority', prio, 'rank', rank,
      'score', score, 'state', state, 'attempts', 0, 'maxAttempts', ARGV[b + 6], 'backoffBase', ARGV[b + 7],
      'backoffCap', ARGV[b + 8], 'timeout', ARGV[b + 9], 'createdAt', now, 'runAt', runAt, 'idem', idem)
    if state == 'SCHEDULED' then
      redis.call('ZADD', KEYS[2], runAt, id)
    else
      redis.call('ZADD', KEYS[1], score, id)
    end
    ids[#ids + 1] = id
  end
end
return ids
