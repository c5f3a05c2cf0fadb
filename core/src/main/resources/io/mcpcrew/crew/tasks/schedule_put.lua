-- Creates or replaces one schedule of a queue (all keys share the queue's hash tag).
-- KEYS[1] schedules HASH (name -> spec text), KEYS[2] schedule-due ZSET (name -> next tick, epoch ms; a schedule
-- absent from it is paused), KEYS[3] schedule-fired HASH (name -> last tick fired, epoch ms)
-- ARGV[1] schedule name, ARGV[2] spec text, ARGV[3] the first tick after now under that spec (epoch ms)
-- A new schedule is active, due at ARGV[3]. A replaced one keeps its pause and, if active, becomes due at ARGV[3].
-- The same spec again changes nothing: its next tick stays, also one that is due and not fired yet.
-- Returns {status, next tick ("" = paused), last tick fired ("" = none)}; status CREATED, REPLACED or UNCHANGED.
local old = redis.call('HGET', KEYS[1], ARGV[1])
local status
if not old then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
  redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
  status = 'CREATED'
elseif old == ARGV[2] then
  status = 'UNCHANGED'
else
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
  redis.call('ZADD', KEYS[2], 'XX', ARGV[3], ARGV[1])
  status = 'REPLACED'
end
return {status, redis.call('ZSCORE', KEYS[2], ARGV[1]) or '', redis.call('HGET', KEYS[3], ARGV[1]) or ''}
