-- include: lib.lua
-- Records a failed attempt of a RUNNING task whose lease the caller holds: FAILED and scheduled for a retry
-- after the given delay, or DEAD (dead-letter) when it was the last attempt or the caller forces it. With the
-- completion stream on, adds an entry (outcome FAILED_WILL_RETRY or DEAD, with the error) to it. A flow child that
-- dies is recorded in its parent (lib.lua childFinished), which may make the parent PENDING or DEAD.
-- KEYS[1] running, KEYS[2] retry, KEYS[3] dead, KEYS[4] meta, KEYS[5] completion stream, KEYS[6] names
-- ARGV[1] task key prefix, ARGV[2] id, ARGV[3] lease ("<id>|<token>"), ARGV[4] now (ms), ARGV[5] error message,
-- ARGV[6] stack summary, ARGV[7] retry delay (ms), ARGV[8] dead-letter TTL (ms), ARGV[9] "1" = dead now,
-- ARGV[10] completion stream max length (0 = no stream), ARGV[11] completion stream TTL (ms), ARGV[12] pending
-- list prefix
-- Returns "FAILED" (will retry), "DEAD", or "LOST" (the lease is not the caller's any more: nothing changed).
local k = ARGV[1] .. ARGV[2]
local id, now = ARGV[2], tonumber(ARGV[4])
if redis.call('ZREM', KEYS[1], ARGV[3]) == 0 then
  return 'LOST'
end
redis.call('HINCRBY', KEYS[4], 'failed', 1)
local f = redis.call('HMGET', k, 'attempts', 'spec')
local maxAttempts = tonumber(string.match(f[2], '^[^|]*|[^|]*|([^|]*)'))
local streamMax = tonumber(ARGV[10] or '0')
local outcome = 'FAILED'
if ARGV[9] == '1' or tonumber(f[1]) >= maxAttempts then
  redis.call('HSET', k, 'state', 'DEAD', 'finishedAt', now, 'lastError', ARGV[5], 'errorStack', ARGV[6])
  redis.call('PEXPIRE', k, tonumber(ARGV[8]))
  redis.call('ZADD', KEYS[3], now, id)
  redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now - tonumber(ARGV[8]))
  redis.call('PEXPIRE', KEYS[3], tonumber(ARGV[8]))
  redis.call('HINCRBY', KEYS[4], 'dead', 1)
  outcome = 'DEAD'
  if childFinished({ prefix = ARGV[1], pendingPrefix = ARGV[12], names = KEYS[6], dead = KEYS[3], meta = KEYS[4],
      now = now, deadTtl = tonumber(ARGV[8]), stream = KEYS[5], streamMax = streamMax }, k, 'DEAD', ARGV[5]) then
    redis.call('PEXPIRE', KEYS[5], ARGV[11])
  end
else
  local runAt = now + tonumber(ARGV[7])
  redis.call('HSET', k, 'state', 'FAILED', 'runAt', runAt, 'lastError', ARGV[5], 'errorStack', ARGV[6])
  redis.call('ZADD', KEYS[2], runAt, id)
end
if addCompletion(KEYS[5], streamMax, id, f[2], outcome == 'DEAD' and 'DEAD' or 'FAILED_WILL_RETRY', f[1],
    { 'error', ARGV[5] }) then
  redis.call('PEXPIRE', KEYS[5], ARGV[11])
end
return outcome
