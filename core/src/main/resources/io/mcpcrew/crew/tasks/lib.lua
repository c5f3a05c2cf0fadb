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
