-- include: browse_lib.lua
-- One page of the tasks of a queue's sorted set (scheduled, retry, running or dead), read only, in the set's order
-- (score, then member in byte order) or its reverse.
-- KEYS[1] the sorted set
-- ARGV[1] task key prefix, ARGV[2] limit, ARGV[3] "asc" or "desc", ARGV[4] the score the previous page ended with
-- ("": start at the first), ARGV[5] its member.
-- The page starts at the first member after (score, member) in that order, found by ZRANK when the member is still
-- there with that score, else by a binary search over ranks (ZRANGE r r WITHSCORES, about log2(n) reads): a member
-- that stays in the set with its score is returned once; one whose score moved past the cursor (a renewed lease) may
-- be returned again. A running member is "<id>|<token>".
-- Returns: more (1 if members follow this page), then the cursor of the next page (score, member; "" when no more)
-- and two empty values, then 13 values per task: id, member, score, then the record's spec, state, attempts, runAt,
-- startedAt, finishedAt, lastError, progress, progressMessage, progressAt ("" when absent).
local key, taskPrefix, limit, desc = KEYS[1], ARGV[1], tonumber(ARGV[2]), ARGV[3] == 'desc'
local lastScore, lastMember = tonumber(ARGV[4]), ARGV[5]

-- True if (score, member) comes after the cursor in this listing's order.
local function after(score, member)
  if desc then
    return score < lastScore or (score == lastScore and bytesLess(member, lastMember))
  end
  return score > lastScore or (score == lastScore and bytesLess(lastMember, member))
end

local start = 0
if lastScore then
  local score = redis.call('ZSCORE', key, lastMember)
  if score and tonumber(score) == lastScore then
    start = redis.call(desc and 'ZREVRANK' or 'ZRANK', key, lastMember) + 1
  else
    local lo, hi = 0, redis.call('ZCARD', key)
    while lo < hi do
      local mid = math.floor((lo + hi) / 2)
      local at = redis.call(desc and 'ZREVRANGE' or 'ZRANGE', key, mid, mid, 'WITHSCORES')
      if after(tonumber(at[2]), at[1]) then
        hi = mid
      else
        lo = mid + 1
      end
    end
    start = lo
  end
end

local out = {}
local found = 0
local more = 0
local cursor = { '', '' }
local index = start
while more == 0 do
  local page = redis.call(desc and 'ZREVRANGE' or 'ZRANGE', key, index, index + (limit - found), 'WITHSCORES')
  if #page == 0 then
    break
  end
  for i = 1, #page, 2 do
    if found == limit then
      more = 1
      break
    end
    local member, score = page[i], page[i + 1]
    local id = string.match(member, '^([^|]*)')
    if appendTask(out, taskPrefix, id, member, score) then
      found = found + 1
    end
    cursor = { score, member }
  end
  index = index + #page / 2
end
if more == 0 then
  cursor = { '', '' }
end
local reply = { more, cursor[1], cursor[2], '', '' }
for _, v in ipairs(out) do
  reply[#reply + 1] = v
end
return reply
