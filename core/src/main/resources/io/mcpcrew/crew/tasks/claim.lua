-- The worker's one round trip: acknowledges finished tasks, then claims up to N new ones, atomically.
--  0. acks: each (id, lease, result) whose lease the caller still holds (its "<id>|<token>" member is still in
--     the running set) becomes SUCCEEDED with its result; the record then expires after the task-result TTL.
--     A task whose lease was lost (expired and reclaimed) is not touched.
-- When N > 0:
--  1. promotes due SCHEDULED and FAILED (waiting retry) tasks to PENDING (appended to their priority's list);
--  2. reclaims RUNNING tasks whose lease expired (worker died): back to PENDING at the head of their priority's
--     list, or DEAD if that was their last attempt;
--  3. unless the queue is paused, pops up to N PENDING tasks, highest priority first, FIFO within a priority,
--     marks them RUNNING with attempts+1, and leases them: running ZSET member "<id>|<token>", score now + lease.
-- KEYS[1..4] pending LISTs of ranks 0..3, KEYS[5] scheduled, KEYS[6] retry, KEYS[7] running, KEYS[8] dead,
-- KEYS[9] meta
-- ARGV[1] task key prefix, ARGV[2] now (ms), ARGV[3] N, ARGV[4] lease (ms), ARGV[5] lease token prefix,
-- ARGV[6] dead-letter TTL (ms), ARGV[7] task-result TTL (ms), then triples to ack: id, lease, result ("" = none)
-- Returns {acks, claimed}: acks = one 1 (completed) or 0 (lease lost) per triple; claimed = 5 values per claimed
-- task: id, lease ("<id>|<token>"), attempts (this one included), spec, payload.
local prefix, now, max, lease, tokenPrefix = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), ARGV[5]

local acks = {}
if #ARGV >= 8 then
  local members = {}
  for i = 9, #ARGV, 3 do
    members[#members + 1] = ARGV[i]
  end
  local held = redis.call('ZMSCORE', KEYS[7], unpack(members))
  redis.call('ZREM', KEYS[7], unpack(members))
  local done = 0
  for j = 1, #members do
    if held[j] then
      local b = 8 + (j - 1) * 3
      local k = prefix .. ARGV[b]
      if ARGV[b + 2] == '' then
        redis.call('HSET', k, 'state', 'SUCCEEDED', 'finishedAt', now)
      else
        redis.call('HSET', k, 'state', 'SUCCEEDED', 'finishedAt', now, 'result', ARGV[b + 2])
      end
      redis.call('PEXPIRE', k, ARGV[7])
      done = done + 1
      acks[j] = 1
    else
      acks[j] = 0
    end
  end
  if done > 0 then
    redis.call('HINCRBY', KEYS[9], 'succeeded', done)
  end
end
if max < 1 then
  return { acks, {} }
end

local RANKS = { CRITICAL = 1, HIGH = 2, NORMAL = 3, LOW = 4 }
local function listOf(spec)
  return KEYS[RANKS[string.match(spec, '^[^|]*|([^|]*)')] or 3]
end

local function promote(zset)
  local due = redis.call('ZRANGEBYSCORE', zset, '-inf', now, 'LIMIT', 0, 1000)
  if #due == 0 then
    return
  end
  for _, id in ipairs(due) do
    local k = prefix .. id
    local spec = redis.call('HGET', k, 'spec')
    if spec then
      redis.call('HSET', k, 'state', 'PENDING')
      redis.call('RPUSH', listOf(spec), id)
    end
  end
  redis.call('ZREM', zset, unpack(due))
end
promote(KEYS[5])
promote(KEYS[6])

local expired = redis.call('ZRANGEBYSCORE', KEYS[7], '-inf', now, 'LIMIT', 0, 1000)
for _, member in ipairs(expired) do
  redis.call('ZREM', KEYS[7], member)
  local id = string.match(member, '^(.-)|')
  local k = prefix .. id
  local f = redis.call('HMGET', k, 'attempts', 'spec')
  if f[2] then
    local maxAttempts = tonumber(string.match(f[2], '^[^|]*|[^|]*|([^|]*)'))
    if tonumber(f[1] or '0') >= maxAttempts then
      local deadTtl = tonumber(ARGV[6])
      redis.call('HSET', k, 'state', 'DEAD', 'finishedAt', now,
        'lastError', 'lease expired: the worker stopped renewing it (died or stalled) on the last attempt')
      redis.call('PEXPIRE', k, deadTtl)
      redis.call('ZADD', KEYS[8], now, id)
      redis.call('PEXPIRE', KEYS[8], deadTtl)
      redis.call('HINCRBY', KEYS[9], 'dead', 1)
    else
      redis.call('HSET', k, 'state', 'PENDING')
      redis.call('LPUSH', listOf(f[2]), id)
    end
    redis.call('HINCRBY', KEYS[9], 'expiredLeases', 1)
  end
end

if redis.call('HEXISTS', KEYS[9], 'paused') == 1 then
  return { acks, {} }
end
local popped = {}
for r = 1, 4 do
  if #popped >= max then
    break
  end
  local got = redis.call('LPOP', KEYS[r], max - #popped)
  if got then
    for _, id in ipairs(got) do
      popped[#popped + 1] = id
    end
  end
end
local out = {}
local leased = {}
local deadline = now + lease
for i = 1, #popped do
  local id = popped[i]
  local k = prefix .. id
  local f = redis.call('HMGET', k, 'spec', 'payload', 'attempts')
  if f[1] then
    local attempts = tonumber(f[3] or '0') + 1
    local member = id .. '|' .. tokenPrefix .. i
    redis.call('HSET', k, 'state', 'RUNNING', 'attempts', attempts, 'startedAt', now)
    leased[#leased + 1] = deadline
    leased[#leased + 1] = member
    out[#out + 1] = id
    out[#out + 1] = member
    out[#out + 1] = attempts
    out[#out + 1] = f[1]
    out[#out + 1] = f[2]
  end
end
if #leased > 0 then
  redis.call('ZADD', KEYS[7], unpack(leased))
end
return { acks, out }
