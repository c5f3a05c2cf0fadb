-- Deletes one schedule (all keys share the queue's hash tag); tasks it enqueued stay.
-- KEYS[1] schedules HASH, KEYS[2] schedule-due ZSET, KEYS[3] schedule-fired HASH
-- ARGV[1] schedule name
-- Returns 1 if it existed, else 0.
local n = redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
return n
