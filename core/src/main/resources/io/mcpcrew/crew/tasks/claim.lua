-- include: lib.lua
-- The worker's one round trip: acknowledges finished tasks, then claims up to N new ones of the task names the
-- worker serves, atomically.
--  0. acks: each (id, lease, result) whose lease the caller still holds (its "<id>|<token>" member is still in
--     the running set) becomes SUCCEEDED with its result; the record then expires after the task-result TTL.
--     A task whose lease was lost (expired and reclaimed) is not touched. With the completion stream on, each
--     success adds an entry (outcome SUCCEEDED) to it. The record keeps the lease it succeeded under (ackedBy):
--     the same ack sent again (its first round trip was not confirmed by replicas) answers 1 and changes nothing.
-- When N > 0:
--  1. when asked (with the served mark below, at most once a second), moves the ids left in pending lists of wire
--     format 1 (one LIST per priority) to their name's list, at the head;
--  2. promotes due SCHEDULED and FAILED (waiting retry) tasks to PENDING (appended to their list, lib.lua);
--  3. reclaims RUNNING tasks whose lease expired (worker died): back to PENDING at the head of their list, or DEAD
--     if that was their last attempt (a completion stream entry, outcome DEAD, when the stream is on);
--  4. when asked (the caller does it at most once a second), records in the served HASH that the names are served;
--  5. unless the queue is paused, pops up to N PENDING tasks of the served names: priority by priority (CRITICAL
--     first), within one the names in turn from the given offset, FIFO within one list; marks them RUNNING with
--     attempts+1 and leases them: running ZSET member "<id>|<token>", score now + lease. A name whose four lists
--     were all found empty leaves the names SET.
-- KEYS[1] scheduled, KEYS[2] retry, KEYS[3] running, KEYS[4] dead, KEYS[5] meta, KEYS[6] names, KEYS[7] served,
-- KEYS[8..11] the pending LISTs of wire format 1 (critical, high, normal, low), KEYS[12] completion stream
-- ARGV[1] task key prefix, ARGV[2] now (ms), ARGV[3] N, ARGV[4] lease (ms), ARGV[5] lease token prefix,
-- ARGV[6] dead-letter TTL (ms), ARGV[7] task-result TTL (ms, also the completion stream's), ARGV[8] pending list
-- prefix, ARGV[9] "1" = record the names as served, ARGV[10] offset of the first name to visit, ARGV[11] completion
-- stream max length (0 = no stream), ARGV[12] A = acks, then A triples: id, lease, result ("" = none), then the
-- served task names ("*" alone: every name in the names SET)
-- Returns {acks, claimed, parents}: acks = one 1 (completed) or 0 (lease lost) per triple; claimed = 5 values per
-- claimed task: id, lease ("<id>|<token>", ending in "+" for a flow child), attempts (this one included), spec,
-- payload; parents = 2 values per claimed flow parent: its place among the claimed (0 = first) and the outcomes of
-- its children (its "child:<i>" values, in order).
-- A flow child that succeeds here (its lease ends in "+"), or dies because its lease expired on its last attempt, is
-- recorded in its parent (lib.lua childFinished): the last child makes the parent PENDING, a dead one under
-- FAIL_PARENT makes the parent DEAD.
local prefix, now, max, lease, tokenPrefix = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), ARGV[5]
local pendingPrefix = ARGV[8]
local streamMax = tonumber(ARGV[11])
local ackCount = tonumber(ARGV[12])
local firstName = 13 + ackCount * 3
local streamAdded = false

-- where a flow child's outcome goes (lib.lua)
local flow = { prefix = prefix, pendingPrefix = pendingPrefix, names = KEYS[6], dead = KEYS[4], meta = KEYS[5],
  now = now, deadTtl = tonumber(ARGV[6]), stream = KEYS[12], streamMax = streamMax }

local acks = {}
if ackCount > 0 then
  local members = {}
  for j = 1, ackCount do
    members[j] = ARGV[13 + (j - 1) * 3 + 1]
  end
  local held = redis.call('ZMSCORE', KEYS[3], unpack(members))
  redis.call('ZREM', KEYS[3], unpack(members))
  local done = 0
  for j = 1, ackCount do
    if held[j] then
      local b = 13 + (j - 1) * 3
      local k = prefix .. ARGV[b]
      if ARGV[b + 2] == '' then
        redis.call('HSET', k, 'state', 'SUCCEEDED', 'finishedAt', now, 'ackedBy', members[j])
      else
        redis.call('HSET', k, 'state', 'SUCCEEDED', 'finishedAt', now, 'ackedBy', members[j], 'result', ARGV[b + 2])
      end
      redis.call('PEXPIRE', k, ARGV[7])
      if streamMax > 0 then
        local f = redis.call('HMGET', k, 'spec', 'attempts')
        streamAdded = addCompletion(KEYS[12], streamMax, ARGV[b], f[1], 'SUCCEEDED', f[2]) or streamAdded
      end
      if string.byte(members[j], -1) == 43 then -- "+": the lease of a flow child
        streamAdded = childFinished(flow, k, 'SUCCEEDED', ARGV[b + 2]) or streamAdded
      end
      done = done + 1
      acks[j] = 1
    elseif redis.call('HGET', prefix .. ARGV[13 + (j - 1) * 3], 'ackedBy') == members[j] then
      acks[j] = 1 -- acknowledged under this lease already: a resend
    else
      acks[j] = 0
    end
  end
  if done > 0 then
    redis.call('HINCRBY', KEYS[5], 'succeeded', done)
  end
end
if max < 1 then
  if streamAdded then
    redis.call('PEXPIRE', KEYS[12], ARGV[7])
  end
  return { acks, {}, {} }
end

if ARGV[9] == '1' and redis.call('EXISTS', KEYS[8], KEYS[9], KEYS[10], KEYS[11]) > 0 then
  for r = 11, 8, -1 do
    local old = redis.call('LRANGE', KEYS[r], 0, -1)
    for i = #old, 1, -1 do
      local spec = redis.call('HGET', prefix .. old[i], 'spec')
      if spec then
        pushPending(pendingPrefix, KEYS[6], spec, old[i], true)
      end
    end
    redis.call('DEL', KEYS[r])
  end
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
      pushPending(pendingPrefix, KEYS[6], spec, id, false)
    end
  end
  redis.call('ZREM', zset, unpack(due))
end
promote(KEYS[1])
promote(KEYS[2])

local expired = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now, 'LIMIT', 0, 1000)
for _, member in ipairs(expired) do
  redis.call('ZREM', KEYS[3], member)
  local id = string.match(member, '^(.-)|')
  local k = prefix .. id
  local f = redis.call('HMGET', k, 'attempts', 'spec')
  if f[2] then
    local maxAttempts = tonumber(string.match(f[2], '^[^|]*|[^|]*|([^|]*)'))
    if tonumber(f[1] or '0') >= maxAttempts then
      local deadTtl = tonumber(ARGV[6])
      local err = 'lease expired: the worker stopped renewing it (died or stalled) on the last attempt'
      redis.call('HSET', k, 'state', 'DEAD', 'finishedAt', now, 'lastError', err)
      redis.call('PEXPIRE', k, deadTtl)
      streamAdded = addCompletion(KEYS[12], streamMax, id, f[2], 'DEAD', f[1], { 'error', err }) or streamAdded
      redis.call('ZADD', KEYS[4], now, id)
      redis.call('PEXPIRE', KEYS[4], deadTtl)
      redis.call('HINCRBY', KEYS[5], 'dead', 1)
      streamAdded = childFinished(flow, k, 'DEAD', err) or streamAdded
    else
      redis.call('HSET', k, 'state', 'PENDING')
      pushPending(pendingPrefix, KEYS[6], f[2], id, true)
    end
    redis.call('HINCRBY', KEYS[5], 'expiredLeases', 1)
  end
end

if streamAdded then
  redis.call('PEXPIRE', KEYS[12], ARGV[7])
end

local names
if ARGV[firstName] == '*' then
  names = redis.call('SMEMBERS', KEYS[6])
else
  names = {}
  for i = firstName, #ARGV do
    names[#names + 1] = ARGV[i]
  end
end
if ARGV[9] == '1' then
  local marks = {}
  for i = firstName, #ARGV do
    marks[#marks + 1] = ARGV[i]
    marks[#marks + 1] = now
  end
  redis.call('HSET', KEYS[7], unpack(marks))
end

if redis.call('HEXISTS', KEYS[5], 'paused') == 1 then
  return { acks, {}, {} }
end
local popped = {}
local n = #names
local offset = tonumber(ARGV[10])
local emptied = {}
for r = 1, 4 do
  for j = 0, n - 1 do
    local want = max - #popped
    if want <= 0 then
      break
    end
    local name = names[(offset + j) % n + 1]
    local got = redis.call('LPOP', pendingPrefix .. PRIORITIES[r] .. ':' .. name, want)
    if got then
      for _, id in ipairs(got) do
        popped[#popped + 1] = id
      end
    end
    if not got or #got < want then
      emptied[name] = (emptied[name] or 0) + 1
    end
  end
end
for name, count in pairs(emptied) do
  if count == 4 then
    redis.call('SREM', KEYS[6], name)
  end
end
local out = {}
local parents = {}
local leased = {}
local deadline = now + lease
for i = 1, #popped do
  local id = popped[i]
  local k = prefix .. id
  local f = redis.call('HMGET', k, 'spec', 'payload', 'attempts', 'childCount', 'parent')
  if f[1] then
    local attempts = tonumber(f[3] or '0') + 1
    local member = id .. '|' .. tokenPrefix .. i .. (f[5] and '+' or '')
    redis.call('HSET', k, 'state', 'RUNNING', 'attempts', attempts, 'startedAt', now)
    leased[#leased + 1] = deadline
    leased[#leased + 1] = member
    out[#out + 1] = id
    out[#out + 1] = member
    out[#out + 1] = attempts
    out[#out + 1] = f[1]
    out[#out + 1] = f[2]
    if f[4] then
      local fields = {}
      for c = 1, tonumber(f[4]) do
        fields[c] = 'child:' .. c
      end
      parents[#parents + 1] = #out / 5 - 1
      parents[#parents + 1] = redis.call('HMGET', k, unpack(fields))
    end
  end
end
if #leased > 0 then
  redis.call('ZADD', KEYS[3], unpack(leased))
end
return { acks, out, parents }
