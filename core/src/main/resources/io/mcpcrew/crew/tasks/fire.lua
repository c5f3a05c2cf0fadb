-- Fires due ticks of schedules of one queue: per schedule a compare-and-set, so that of several runners (nodes)
-- reading the same due tick only the first enqueues it (all keys share the queue's hash tag).
-- KEYS[1] schedule-due ZSET, KEYS[2] schedules HASH, KEYS[3] schedule-fired HASH, KEYS[4] names SET
-- ARGV[1] task key prefix ("<prefix>:<tenant>:tasks:{<tenant>.<queue>}:task:"), ARGV[2] pending list prefix
-- ("...:pending:"), ARGV[3] how many schedules, then per schedule: name, the due tick read (epoch ms), SHA-1 (hex)
-- of the spec text read, the next tick (epoch ms), the last tick fired now (epoch ms), the task spec
-- ("name|priority|maxAttempts|backoffBaseMs|backoffCapMs|timeoutMs|createdAtMs|"), k, then k task ids.
-- Only if the schedule is still due at that tick with that spec: each task id whose record does not exist yet is
-- enqueued as enqueue.lua does (record with state PENDING and the schedule's payload, RPUSH to its pending list,
-- SADD names); the schedule becomes due at the next tick and its last tick fired is recorded.
-- Returns per schedule the tasks enqueued (0 to k), or -1 if it was no longer due at that tick with that spec
-- (another runner fired it, or it was paused, replaced or deleted).
-- include: lib.lua
local out = {}
local b = 4
for s = 1, tonumber(ARGV[3]) do
  local name, tick, sha, nextTick, lastTick, taskSpec = ARGV[b], ARGV[b + 1], ARGV[b + 2], ARGV[b + 3],
    ARGV[b + 4], ARGV[b + 5]
  local k = tonumber(ARGV[b + 6])
  local ids = b + 7
  b = ids + k
  local due = redis.call('ZSCORE', KEYS[1], name)
  local spec = due and tonumber(due) == tonumber(tick) and redis.call('HGET', KEYS[2], name)
  if spec and redis.sha1hex(spec) == sha then
    -- the payload is the last part of the spec text: version|taskName|priority|kind|expression|zone|payload
    local payload = string.match(spec, '^[^|]*|[^|]*|[^|]*|[^|]*|[^|]*|[^|]*|(.*)$')
    local enqueued = 0
    for i = ids, ids + k - 1 do
      local key = ARGV[1] .. ARGV[i]
      if redis.call('EXISTS', key) == 0 then
        redis.call('HSET', key, 'spec', taskSpec, 'payload', payload, 'state', 'PENDING')
        pushPending(ARGV[2], KEYS[4], taskSpec, ARGV[i], false)
        enqueued = enqueued + 1
      end
    end
    redis.call('ZADD', KEYS[1], nextTick, name)
    redis.call('HSET', KEYS[3], name, lastTick)
    out[#out + 1] = enqueued
  else
    out[#out + 1] = -1
  end
end
return out
