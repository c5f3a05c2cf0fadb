-- The worker's one round trip: acknowledges finished tasks, then claims up to N new ones, atomically.
--  0. acks: each (id, lease, result) whose lease the caller still holds (its "<id>|<token>" member is still in
--     the running set) becomes SUCCEEDED with its result; the record then expires after the task-result TTL.
--     A task whose lease was lost (expired and reclaimed) is not touched.
-- When N > 0:
--  1. promotes due SCHEDULED and FAILED (waiting retry) tasks to PENDING (fresh FIFO sequence in their priority);
--  2. reclaims RUNNING tasks whose lease expired (worker died): back to PENDING at their old place, or DEAD if
--     that was their last attempt;
--  3. unless the queue is paused, pops up to N PENDING tasks, highest priority first, FIFO within a priority,
--     marks them RUNNING with attempts+1, and leases them: running ZSET member "<id>|<token>", score now + lease.
-- KEYS[1] pending, KEYS[2] scheduled, KEYS[3] retry, KEYS[4] running, KEYS[5] dead, KEYS[6] meta, KEYS[7] seq
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
  local held = redis.call('ZMSCORE', KEYS[4], unpack(members))
  redis.call('ZREM', KEYS[4], unpack(members))
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
    redis.call('HINCRBY', KEYS[6], 'succeeded', done)
  end
end
if max < 1 then
  return { acks, {} }
end

local function promote(zset)
  local due = redis.call('ZRANGEBYSCORE', zset, '-inf', now, 'LIMIT', 0, 1000)
  if #due == 0 then
    return
  end
  local seq = redis.call('INCRBY', KEYS[7], #due) - #due
  local add = {}
  for i, id in ipairs(due) do
    local k = prefix .. id
    local spec = redis.call('HGET', k, 'spec')
    if spec then
      local rank = ({ CRITICAL = 0, HIGH = 1, NORMAL = 2, LOW = 3 })[string.match(spec, '^[^|]*|([^|]*)')] or 2
      local score = string.format('%.0f', rank * 1e15 + seq + i)
      redis.call('HSET', k, 'state', 'PENDING', 'score', score)
      add[#add + 1] = score
      add[#add + 1] = id
    end
  end
  redis.call('ZREM', zset, unpack(due))
  if #add > 0 then
    redis.call('ZADD', KEYS[1], unpack(add))
  end
end
promote(KEYS[2])
promote(KEYS[3])

local expired = redis.call('ZRANGEBYSCORE', KEYS[4], '-inf', now, 'LIMIT', 0, 1000)
for _, member in ipairs(expired) do
  redis.call('ZREM', KEYS[4], member)
  local id = string.match(member, '^(.-)|')
  local k = prefix .. id
  local f = redis.call('HMGET', k, 'attempts', 'spec', 'score')
  if f[2] then
    local maxAttempts = tonumber(string.match(f[2], '^[^|]*|[^|]*|([^|]*)'))
    if tonumber(f[1] or '0') >= maxAttempts then
      local deadTtl = tonumber(ARGV[6])
      redis.call('HSET', k, 'state', 'DEAD', 'finishedAt', now,
        'lastError', 'lease expired: the worker stopped renewing it (died or stalled) on the last attempt')
      redis.call('PEXPIRE', k, deadTtl)
      redis.call('ZADD', KEYS[5], now, id)
      redis.call('PEXPIRE', KEYS[5], deadTtl)
      redis.call('HINCRBY', KEYS[6], 'dead', 1)
    else
      redis.call('HSET', k, 'state', 'PENDING')
      redis.call('ZADD', KEYS[1], f[3], id)
    end
    redis.call('HINCRBY', KEYS[6], 'expiredLeases', 1)
  end
end

if redis.call('HEXISTS', KEYS[6], 'paused') == 1 then
  return { acks, {} }
end
local popped = redis.call('ZPOPMIN', KEYS[1], max)
local out = {}
local leased = {}
local deadline = now + lease
for i = 1, #popped, 2 do
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
  redis.call('ZADD', KEYS[4], unpack(leased))
end
return { acks, out }
