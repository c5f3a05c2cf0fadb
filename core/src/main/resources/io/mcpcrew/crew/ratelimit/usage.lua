#!lua flags=no-writes
-- What each limit of one tenant's resource has counted now, read only: the script is declared no-writes (Redis
-- refuses any write in it), prunes nothing and computes around expired entries. Version 1; see
-- docs/wire-format/ratelimit.md ("Usage").
-- KEYS[1]  the resource's state: for an exact-log policy its LIST (crew:<tenant>:ratelimit:<resource>, newest at
--          the head), else its quota HASH (crew:<tenant>:ratelimit:{<tenant>.<resource>}:q, see quota.lua)
-- ARGV     n (the policy's limits, 1..8), then 5 per limit: name, kind, p1, p2, p3 where kind is
--          L        the exact log (the only limit): p1 = window µs, p2 = limit, p3 = 0
--          TR | TT  token bucket (requests | tokens): p1 = m, p2 = w, p3 = capacity (as quota.lua)
--          SR | ST  sliding counter (requests | tokens): p1 = window µs, p2 = max, p3 = 0 (as quota.lua)
-- Returns 4 integers per limit: used, remaining, resetAfterMicros (until nothing is counted; 0: nothing is),
-- retryAfterMicros (until the limit admits one more unit; 0: it does now); then nowMicros (Redis TIME).
-- used: the exact log's units in the window ending now; a token bucket's units owed (consumed, not yet refilled;
-- rounded up); a sliding counter's estimate cur + prev × (W − el) / W (rounded up). Unless in debt after an adjust,
-- used + remaining is the limit's capacity (the exact log's limit, the bucket's burst, the counter's max).

local call, floor, ceil, max = redis.call, math.floor, math.ceil, math.max
local tm = call('TIME')
local now = tm[1] * 1000000 + tm[2]
local key = KEYS[1]
local n = tonumber(ARGV[1])
local res = {}

-- the exact log: elements count while ts > now - w; the list is newest first, so the counted ones are a prefix,
-- found by binary search with LINDEX (a read of log2(length) elements, whatever the length)
local function exactLog(w, limit)
  local floorTs = now - w
  local len = call('LLEN', key)
  local function at(i)
    return tonumber(call('LINDEX', key, i))
  end
  local used
  if len == 0 or at(0) <= floorTs then
    used = 0
  elseif at(len - 1) > floorTs then
    used = len
  else
    local lo, hi = 0, len - 1 -- at(lo) counts, at(hi) has expired
    while hi - lo > 1 do
      local mid = floor((lo + hi) / 2)
      if at(mid) > floorTs then lo = mid else hi = mid end
    end
    used = hi
  end
  local reset, retry = 0, 0
  if used > 0 then
    reset = max(1, at(used - 1) + w - now)
  end
  if used >= limit then
    -- one more unit fits once the (used - limit + 1) oldest counted have left: the limit-th newest
    retry = max(1, at(limit - 1) + w - now)
  end
  return used, max(0, limit - used), reset, retry
end

-- a sliding counter's wait until units more fit (as quota.lua's counterRetry)
local function counterRetry(cur, prev, units, w, mx, k, el)
  if cur + units <= mx and prev > 0 then
    local need = w - floor((mx - cur - units) * w / prev)
    if need < w then
      return max(1, need - el)
    end
  end
  local need = 0
  if cur > 0 then
    need = max(0, w - floor((mx - units) * w / cur))
  end
  return max(1, (k + 1) * w + need - now)
end

if n == 1 and ARGV[3] == 'L' then
  local used, remaining, reset, retry = exactLog(tonumber(ARGV[4]), tonumber(ARGV[5]))
  return {used, remaining, reset, retry, now}
end

local fields = {'t'}
for i = 1, n do
  local name = ARGV[2 + 5 * (i - 1)]
  fields[2 * i] = name
  fields[2 * i + 1] = name .. ':x'
end
local s = call('HMGET', key, unpack(fields))
local t = tonumber(s[1])
for i = 1, n do
  local a = 2 + 5 * (i - 1)
  local kind = ARGV[a + 1]
  local p1, p2, p3 = tonumber(ARGV[a + 2]), tonumber(ARGV[a + 3]), tonumber(ARGV[a + 4])
  local v = tonumber(s[2 * i]) or 0
  local x = tonumber(s[2 * i + 1]) or 0
  local used, remaining, reset, retry
  if kind == 'TR' or kind == 'TT' then
    local m, w, cap = p1, p2, p3
    if t == nil then
      v = 0
    else
      if v > 0 and x > 0 and x ~= w then
        v = ceil(v * w / x) -- owed at another rate (the policy changed), as quota.lua converts it
      end
      local el = now - t
      if el > 0 then
        if el * m >= v then v = 0 else v = v - el * m end
      end
    end
    used = ceil(v / w)
    remaining = max(0, floor((cap - v) / w))
    reset = ceil(v / m)
    retry = 0
    if v + w > cap then
      retry = ceil((v + w - cap) / m)
    end
  else
    local w, mx = p1, p2
    local k = floor(now / w)
    local cur, prev = 0, 0
    if t ~= nil then
      local kt = floor(t / w)
      if kt >= k then
        cur, prev = v, x
      elseif kt == k - 1 then
        prev = v
      end
    end
    local el = now - k * w
    local weighted = prev * (w - el) / w
    used = cur + ceil(weighted)
    remaining = max(0, floor(mx - cur - weighted))
    if cur > 0 then
      reset = (k + 2) * w - now
    elseif prev > 0 then
      reset = w - el
    else
      reset = 0
    end
    retry = 0
    if not (cur + 1 <= mx and prev * (w - el) + (cur + 1) * w <= mx * w) then
      retry = counterRetry(cur, prev, 1, w, mx, k, el)
    end
  end
  res[4 * i - 3], res[4 * i - 2], res[4 * i - 1], res[4 * i] = used, remaining, reset, retry
end
res[4 * n + 1] = now
return res
