-- Resumes one paused schedule: it is due again at the tick given (all keys share the queue's hash tag).
-- KEYS[1] schedules HASH, KEYS[2] schedule-due ZSET
-- ARGV[1] schedule name, ARGV[2] SHA-1 (hex) of the spec text the tick was computed from, ARGV[3] its first tick
-- after now (epoch ms)
-- A schedule that is not paused keeps its next tick.
-- Returns 1 (resumed, or was not paused), 0 if there is no such schedule, -1 if its spec is no longer the one
-- ARGV[2] names (it was replaced meanwhile: compute the tick again).
local spec = redis.call('HGET', KEYS[1], ARGV[1])
if not spec then
  return 0
end
if redis.sha1hex(spec) ~= ARGV[2] then
  return -1
end
redis.call('ZADD', KEYS[2], 'NX', ARGV[3], ARGV[1])
return 1
