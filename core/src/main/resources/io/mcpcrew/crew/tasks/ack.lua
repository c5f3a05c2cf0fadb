-- Completes RUNNING tasks whose lease the caller still holds: state SUCCEEDED, result stored, the record expires
-- after the task-result TTL. A task whose lease was lost (expired and reclaimed) is not touched.
-- KEYS[1] running, KEYS[2] meta
-- ARGV[1] task key prefix, ARGV[2] now (ms), ARGV[3] result TTL (ms), then triples: id, lease token, result
-- Returns one 1 (completed) or 0 (lease lost) per task.
local prefix, now, ttl = ARGV[1], ARGV[2], tonumber(ARGV[3])
local out = {}
local done = 0
for i = 4, #ARGV, 3 do
  local id = ARGV[i]
  local k = prefix .. id
  if redis.call('HGET', k, 'lease') == ARGV[i + 1] and redis.call('ZREM', KEYS[1], id) == 1 then
    redis.call('HSET', k, 'state', 'SUCCEEDED', 'lease', '', 'finishedAt', now, 'result', ARGV[i + 2])
    redis.call('PEXPIRE', k, ttl)
    done = done + 1
    out[#out + 1] = 1
  else
    out[#out + 1] = 0
  end
end
if done > 0 then
  redis.call('HINCRBY', KEYS[2], 'succeeded', done)
end
return out
