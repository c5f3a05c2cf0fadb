-- The schedules of a queue whose next tick has come, by Redis' clock (all keys share the queue's hash tag).
-- KEYS[1] schedule-due ZSET, KEYS[2] schedules HASH
-- ARGV[1] the most schedules to return
-- Returns {now (epoch ms, Redis TIME), how many schedules the queue has, then 3 values per due schedule, the
-- earliest tick first: name, due tick (epoch ms), spec text}.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local out = {now, redis.call('HLEN', KEYS[2])}
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[1]))
for i = 1, #due, 2 do
  out[#out + 1] = due[i]
  out[#out + 1] = due[i + 1]
  out[#out + 1] = redis.call('HGET', KEYS[2], due[i]) or ''
end
return out
