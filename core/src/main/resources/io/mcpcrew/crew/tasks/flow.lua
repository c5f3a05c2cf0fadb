-- include: lib.lua
-- Enqueues a flow: a parent task in state WAITING_CHILDREN and its children, all of one queue (every key in its
-- hash tag); lib.lua describes the flow fields of the records. Children due now are appended to their pending
-- lists (their names added to the names SET), later ones go to the scheduled set; the meta HASH counts the parent
-- in waitingChildren.
-- KEYS[1] scheduled ZSET, KEYS[2] names SET, KEYS[3] meta HASH
-- ARGV[1] task key prefix, ARGV[2] idempotency key prefix, ARGV[3] now (ms), ARGV[4] idempotency TTL (ms),
-- ARGV[5] pending list prefix, ARGV[6] policy (FAIL_PARENT or RUN_PARENT), ARGV[7] parent id, ARGV[8] parent spec,
-- ARGV[9] parent payload, ARGV[10] parent idempotency key ("" = none), ARGV[11] n = number of children,
-- then per child 4 values: id, spec, payload, runAt (ms, 0 = now); specs as enqueue.lua takes them
-- Returns the parent's id, then the children's ids in order. A repeated idempotency key, or a parent id whose
-- record exists already (the replay of a write whose first outcome was unknown), enqueues nothing and returns the
-- ids of the flow enqueued first (only its parent's id if the key was first used by a task without children).
local prefix, now = ARGV[1], tonumber(ARGV[3])

local function existing(pid)
  local out = { pid }
  local n = tonumber(redis.call('HGET', prefix .. pid, 'childCount') or '0')
  if n > 0 then
    local fields = {}
    for i = 1, n do
      fields[i] = 'child:' .. i
    end
    for _, v in ipairs(redis.call('HMGET', prefix .. pid, unpack(fields))) do
      out[#out + 1] = v and string.match(v, '^([^|]*)') or ''
    end
  end
  return out
end

local pid = ARGV[7]
if redis.call('EXISTS', prefix .. pid) == 1 then
  return existing(pid)
end
if ARGV[10] ~= '' then
  local ik = ARGV[2] .. ARGV[10]
  local first = redis.call('GET', ik)
  if first then
    return existing(first)
  end
  redis.call('SET', ik, pid, 'PX', ARGV[4])
end

local n = tonumber(ARGV[11])
local parent = { 'spec', ARGV[8], 'payload', ARGV[9], 'state', 'WAITING_CHILDREN', 'flowPolicy', ARGV[6],
  'childCount', n, 'childrenLeft', n }
local out = { pid }
for i = 1, n do
  local b = 12 + (i - 1) * 4
  local id, spec, runAt = ARGV[b], ARGV[b + 1], tonumber(ARGV[b + 3])
  if runAt > now then
    redis.call('HSET', prefix .. id, 'spec', spec, 'payload', ARGV[b + 2], 'state', 'SCHEDULED', 'runAt', runAt,
      'parent', pid, 'childIndex', i)
    redis.call('ZADD', KEYS[1], runAt, id)
  else
    redis.call('HSET', prefix .. id, 'spec', spec, 'payload', ARGV[b + 2], 'state', 'PENDING', 'parent', pid,
      'childIndex', i)
    pushPending(ARGV[5], KEYS[2], spec, id, false)
  end
  parent[#parent + 1] = 'child:' .. i
  parent[#parent + 1] = id .. '||' .. string.match(spec, '^([^|]*)') .. '|'
  out[#out + 1] = id
end
redis.call('HSET', prefix .. pid, unpack(parent))
redis.call('HINCRBY', KEYS[3], 'waitingChildren', 1)
return out
