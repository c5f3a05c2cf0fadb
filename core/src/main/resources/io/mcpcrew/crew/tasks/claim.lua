-- Claims up to N tasks of one queue for a worker, atomically:
--  1. promotes due SCHEDULED and FAILED (waiting retry) tasks to PENDING (fresh FIFO sequence in their priority);
--  2. reclaims RUNNING tasks whose lease expired (worker died): back to PENDING at their old place, or DEAD if
--     that was their last attempt;
--  3. unless the queue is paused, pops up to N PENDING tasks, highest priority first, FIFO within a priority,
--     marks them RUNNING with a lease token and attempts+1, and leases them until now + lease.
-- KEYS[1] pending, KEYS[2] scheduled, KEYS[3] retry, KEYS[4] running, KEYS[5] dead, KEYS[6] meta, KEYS[7] seq
-- ARGV[1] task key prefix, ARGV[2] now (ms), ARGV[3] N, ARGV[4] lease (ms), ARGV[5] lease token prefix,
-- ARGV[6] dead-letter TTL (ms)
-- Returns a flat array, 10 values per claimed task: id, lease token, attempts (this one included), maxAttempts,
--   timeout (ms), name, payload, priority, backoffBase (ms), backoffCap (ms)
local prefix, now, max, lease, tokenPrefix = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), ARGV[5]
local deadTtl = tonumber(ARGV[6])

local function promote(zset)
  local due = redis.call('ZRANGEBYSCORE', zset, '-inf', now, 'LIMIT', 0, 1000)
  for _, id in ipairs(due) do
    redis.call('ZREM', zset, id)
    local k = prefix .. id
    local rank = redis.call('HGET', k, 'rank')
    if rank then
      local score = string.format('%.0f', tonumber(rank) * 1e15 + redis.call('INCR', KEYS[7]))
      redis.call('HSET', k, 'state', 'PENDING', 'score', score)
      redis.call('ZADD', KEYS[1], score, id)
    end
  end
end
promote(KEYS[2])
promote(KEYS[3])

local expired = redis.call('ZRANGEBYSCORE', KEYS[4], '-inf', now, 'LIMIT', 0, 1000)
for _, id in ipairs(expired) do
  redis.call('ZREM', KEYS[4], id)
  local k = prefix .. id
  local f = redis.call('HMGET', k, 'attempts', 'maxAttempts', 'score')
  if f[3] then
    if tonumber(f[1]) >= tonumber(f[2]) then
      redis.call('HSET', k, 'state', 'DEAD', 'lease', '', 'finishedAt', now,
        'lastError', 'lease expired: the worker stopped renewing it (died or stalled) on the last attempt')
      redis.call('PEXPIRE', k, deadTtl)
      redis.call('ZADD', KEYS[5], now, id)
      redis.call('PEXPIRE', KEYS[5], deadTtl)
      redis.call('HINCRBY', KEYS[6], 'dead', 1)
    else
      redis.call('HSET', k, 'state', 'PENDING', 'lease', '')
      redis.call('ZADD', KEYS[1], f[3], id)
    end
    redis.call('HINCRBY', KEYS[6], 'expiredLeases', 1)
  end
end

if redis.call('HEXISTS', KEYS[6], 'paused') == 1 then
  return {}
end
local popped = redis.call('ZPOPMIN', KEYS[1], max)
local out = {}
local leased = {}
local deadline = now + lease
for i = 1, #popped, 2 do
  local id = popped[i]
  local k = prefix .. id
  local f = redis.call('HMGET', k, 'name', 'payload', 'priority', 'attempts', 'maxAttempts', 'timeout',
    'backoffBase', 'backoffCap')
  if f[1] then
    local attempts = tonumber(f[4]) + 1
    local token = tokenPrefix .. i
    redis.call('HSET', k, 'state', 'RUNNING', 'lease', token, 'attempts', attempts, 'startedAt', now)
    leased[#leased + 1] = deadline
    leased[#leased + 1] = id
    out[#out + 1] = id
    out[#out + 1] = token
    out[#out + 1] = attempts
    out[#out + 1] = f[5]
    out[#out + 1] = f[6]
    out[#out + 1] = f[1]
    out[#out + 1] = f[2]
    out[#out + 1] = f[3]
    out[#out + 1] = f[7]
    out[#out + 1] = f[8]
  end
end
if #leased > 0 then
  redis.call('ZADD', KEYS[4], unpack(leased))
end
return out
