-- Pauses one schedule: it leaves the due set (all keys share the queue's hash tag).
-- KEYS[1] schedules HASH, KEYS[2] schedule-due ZSET
-- ARGV[1] schedule name
-- Returns 1 (paused, also when it was paused already), 0 if there is no such schedule.
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then
  return 0
end
redis.call('ZREM', KEYS[2], ARGV[1])
return 1
