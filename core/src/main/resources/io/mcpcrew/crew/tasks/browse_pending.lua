-- include: browse_lib.lua
-- One page of a queue's PENDING tasks, read only: the pending LISTs in claim order of priority (CRITICAL first),
-- the task names of one priority in byte order, each list from its head (the next to be claimed) to its tail.
-- KEYS[1] names (the SET of task names that may have pending lists)
-- ARGV[1] task key prefix, ARGV[2] pending list prefix, ARGV[3] limit (tasks to return),
-- ARGV[4] the priority to start at (1 critical .. 4 low), ARGV[5] the task name to start at ("": the first),
-- ARGV[6] the id the previous page ended with in that list ("": start at the list's head),
-- ARGV[7] its index in the list then, ARGV[8] how far around that index to look for it (the window).
-- Where a page resumes in the list of the previous page's last task: just after that task, found within the window
-- around its old index (claims pop the head, so it moves towards the head), else by LPOS if its record still says
-- PENDING, else (it was claimed) at the list's head: a task pending for the whole walk is returned at least once,
-- and again only if it was put back at the head (a released task, an expired lease) or the task the cursor named
-- was cancelled.
-- Returns: more (1 if tasks follow this page), then the cursor of the next page (priority 1..4, task name, id, index;
-- "" when no more), then 13 values per task: id, "" (no member), index in its list, then the record's spec, state,
-- attempts, runAt, startedAt, finishedAt, lastError, progress, progressMessage, progressAt ("" when absent).
local PRIORITIES = { 'critical', 'high', 'normal', 'low' }
local taskPrefix, pendingPrefix, limit = ARGV[1], ARGV[2], tonumber(ARGV[3])
local startRank, startName, lastId, lastIndex, window = tonumber(ARGV[4]), ARGV[5], ARGV[6], tonumber(ARGV[7]),
  tonumber(ARGV[8])

local names = redis.call('SMEMBERS', KEYS[1])
table.sort(names, bytesLess)

-- The index just after lastId in list, or 0 if it left the list.
local function resumeAt(list)
  local from = math.max(0, lastIndex - window)
  local near = redis.call('LRANGE', list, from, lastIndex + window)
  for i = 1, #near do
    if near[i] == lastId then
      return from + i
    end
  end
  if redis.call('HGET', taskPrefix .. lastId, 'state') == 'PENDING' then
    local at = redis.call('LPOS', list, lastId)
    if at then
      return at + 1
    end
  end
  return 0
end

local out = {}
local found = 0
local cursor = { '', '', '', '' }
local more = 0
for rank = startRank, 4 do
  for _, name in ipairs(names) do
    local skip = rank == startRank and startName ~= '' and bytesLess(name, startName)
    if not skip and more == 0 then
      local list = pendingPrefix .. PRIORITIES[rank] .. ':' .. name
      local index = 0
      if rank == startRank and name == startName and lastId ~= '' then
        index = resumeAt(list)
      end
      while more == 0 do
        local ids = redis.call('LRANGE', list, index, index + (limit - found))
        if #ids == 0 then
          break
        end
        for i = 1, #ids do
          if found == limit then
            more = 1
            break
          end
          if appendTask(out, taskPrefix, ids[i], '', index + i - 1) then
            found = found + 1
          end
          cursor = { tostring(rank), name, ids[i], tostring(index + i - 1) }
        end
        index = index + #ids
      end
    end
  end
end
if more == 0 then
  cursor = { '', '', '', '' }
end
local reply = { more, cursor[1], cursor[2], cursor[3], cursor[4] }
for _, v in ipairs(out) do
  reply[#reply + 1] = v
end
return reply
