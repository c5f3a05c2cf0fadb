-- Shared by the task scripts that include it (not a script of its own).
-- A PENDING task's id is in the LIST <pending prefix><priority>:<task name> of its queue, e.g.
-- "crew:acme:tasks:{acme.emails}:pending:normal:send-welcome"; the queue's names SET holds every task name that
-- may have such a list. The pending prefix ("...:{<t>.<q>}:pending:") comes as an argument and carries the queue's
-- hash tag, so every list built from it is in the script's slot.
local PRIORITIES = { 'critical', 'high', 'normal', 'low' }
local PRIORITY_OF = { CRITICAL = 'critical', HIGH = 'high', NORMAL = 'normal', LOW = 'low' }

-- The task name and the pending list of a task, from its spec ("name|priority|...").
local function pendingListOf(pendingPrefix, spec)
  local name, priority = string.match(spec, '^([^|]*)|([^|]*)')
  return pendingPrefix .. (PRIORITY_OF[priority] or 'normal') .. ':' .. name, name
end

-- Puts a task back in its pending list (at the head when atHead, else at the tail) and its name in the names SET.
local function pushPending(pendingPrefix, namesKey, spec, id, atHead)
  local list, name = pendingListOf(pendingPrefix, spec)
  redis.call(atHead and 'LPUSH' or 'RPUSH', list, id)
  redis.call('SADD', namesKey, name)
end

-- Adds an entry for task id to the queue's completion stream when it is on (maxLen > 0), trimmed to about maxLen
-- entries; the caller then PEXPIREs the stream once. outcome: SUCCEEDED, FAILED_WILL_RETRY, DEAD or PROGRESS;
-- spec gives the task name; extra: more field, value pairs (e.g. error). Returns true if an entry was added.
local function addCompletion(stream, maxLen, id, spec, outcome, attempts, extra)
  if maxLen <= 0 then
    return false
  end
  local entry = { 'id', id, 'name', string.match(spec or '', '^([^|]*)'), 'outcome', outcome,
    'attempts', attempts or '0' }
  for _, v in ipairs(extra or {}) do
    entry[#entry + 1] = v
  end
  redis.call('XADD', stream, 'MAXLEN', '~', maxLen, '*', unpack(entry))
  return true
end

-- Flows (flow.lua): a parent task waits in state WAITING_CHILDREN until its children have finished. Its record holds
-- flowPolicy (FAIL_PARENT or RUN_PARENT), childCount, childrenLeft and one field per child, "child:<i>" (i from 1,
-- in enqueue order) = "<child id>|<outcome>|<child task name>|<text>", outcome empty until the child finished,
-- text its result (SUCCEEDED) or last error (DEAD). A child's record holds parent (the parent's id) and childIndex.
-- Parent and children are tasks of one queue: every key is in the queue's hash tag.

-- Records that the task of record key k, a flow child if its record names a parent, finished with outcome
-- (SUCCEEDED, DEAD or CANCELLED) and text; counts once per child (a child retried by hand does not count again).
-- When its parent still waits: the last child to finish makes the parent PENDING (appended to its list); a child
-- that did not succeed under FAIL_PARENT makes the parent DEAD at once. ctx: prefix (task key prefix),
-- pendingPrefix, names, dead, meta (keys), now, deadTtl (ms), stream, streamMax (completion stream; 0 = off).
-- Returns true if it added a completion stream entry (the caller then PEXPIREs the stream).
local function childFinished(ctx, k, outcome, text)
  local c = redis.call('HMGET', k, 'parent', 'childIndex')
  if not c[1] or c[1] == '' then
    return false
  end
  local pk = ctx.prefix .. c[1]
  local field = 'child:' .. c[2]
  local old = redis.call('HGET', pk, field)
  if not old then
    return false
  end
  local id, done, name = string.match(old, '^([^|]*)|([^|]*)|([^|]*)|')
  if done ~= '' then
    return false
  end
  redis.call('HSET', pk, field, id .. '|' .. outcome .. '|' .. name .. '|' .. (text or ''))
  local p = redis.call('HMGET', pk, 'state', 'spec', 'flowPolicy', 'attempts')
  if p[1] ~= 'WAITING_CHILDREN' then
    return false
  end
  if outcome ~= 'SUCCEEDED' and p[3] == 'FAIL_PARENT' then
    local err = 'child ' .. id .. ' (' .. name .. ') is ' .. outcome .. (text and text ~= '' and (': ' .. text) or '')
    redis.call('HSET', pk, 'state', 'DEAD', 'finishedAt', ctx.now, 'lastError', err, 'childrenLeft', 0)
    redis.call('PEXPIRE', pk, ctx.deadTtl)
    redis.call('ZADD', ctx.dead, ctx.now, c[1])
    redis.call('PEXPIRE', ctx.dead, ctx.deadTtl)
    redis.call('HINCRBY', ctx.meta, 'dead', 1)
    redis.call('HINCRBY', ctx.meta, 'waitingChildren', -1)
    return addCompletion(ctx.stream, ctx.streamMax, c[1], p[2], 'DEAD', p[4] or '0', { 'error', err })
  end
  if redis.call('HINCRBY', pk, 'childrenLeft', -1) <= 0 then
    redis.call('HSET', pk, 'state', 'PENDING', 'runAt', ctx.now)
    redis.call('HINCRBY', ctx.meta, 'waitingChildren', -1)
    pushPending(ctx.pendingPrefix, ctx.names, p[2], c[1], false)
  end
  return false
end
