-- Exact sliding-window rate limit (a "sliding log"), one round trip. Version 2.1 (shared arguments; data as version
-- 2); see docs/wire-format/ratelimit.md.
-- Decides one or more checks in order, each on its own key (the limiter may batch concurrent checks):
-- KEYS[i]       the limiter LIST of check i: admission timestamps (integer microseconds of Redis TIME), newest at
--               the head, one element per admitted unit of cost; at most limit + 3 elements
-- ARGV[3i - 2]  limit (max units admitted in any interval of length window), >= 1
-- ARGV[3i - 1]  window in microseconds, >= 1000
-- ARGV[3i]      cost of this request in units, 1..limit
--               or, with exactly 3 ARGV whatever the number of checks, one limit, window and cost for every check
-- Returns 3 integers per check, {remaining, resetAfterMicros, retryAfterMicros} (allowed iff retryAfterMicros is 0,
-- a refusal's is at least 1), or for a check that failed (e.g. WRONGTYPE) its error message and two zeros; then
-- nowMicros, the decisions' server time (which is also the timestamp written).
-- An element counts while its timestamp ts > now - window; a request is admitted iff counted + cost <= limit.
--
-- Every redis.call costs more than the command it runs (about a microsecond of server time), and so does every
-- string Lua makes (an argument, an element read, a format), so the common admission is LRANGE (the 4 oldest
-- elements) and LPUSH, with one TIME per script; code is inlined and facts are computed once per window:
-- * the count comes from LPUSH's reply (a refusal pops what it pushed) unless the whole list was in the LRANGE;
-- * expired elements are trimmed three at a time (up to 2 stay at the tail; the count leaves them out);
-- * the TTL is renewed only when the newest element read is from an earlier 2-window-aligned epoch than now (or
--   none is left): to the end of this epoch plus window, which covers every admission until the epoch ends.
-- Only elements seen to be expired, contiguous from the tail, are ever removed, so the decision never counts
-- fewer units than are within the window, even if the server clock steps back (it may then count more).
-- Timestamps have 16 digits until 2286 and are compared as text: a shorter one is smaller.

local t = redis.call('TIME')
local now = t[1] * 1000000 + t[2]
local nowText = t[1] .. string.format('%06d', t[2]) -- what LPUSH writes: converted once, not per element

-- pushes cost (> 1) copies of now at the head of key, in chunks (unpack's stack limit); returns the new length
local function push(key, cost)
  local batch = {}
  local left = cost
  local len = 0
  while left > 0 do
    local b = math.min(left, 1000)
    for i = 1, b do batch[i] = nowText end
    for i = b + 1, #batch do batch[i] = nil end
    len = redis.call('LPUSH', key, unpack(batch))
    left = left - b
  end
  return len
end

-- facts of the window last used (a run's checks usually share one policy): floor = now - window as text (and its
-- length); the end of the P-epoch before now's (P = 2 * window) as text; the TTL in ms that lasts to the end of
-- now's epoch plus window
local floorText, floorLen, epochEndText, ttlMs
local factsWindow = nil

local function check(key, limit, window, cost)
  if window ~= factsWindow then
    local period = 2 * window
    local epoch = math.floor(now / period)
    floorText = string.format('%d', now - window)
    floorLen = #floorText
    epochEndText = string.format('%d', epoch * period - 1)
    ttlMs = math.ceil(((epoch + 1) * period + window - now) / 1000)
    factsWindow = window
  end
  local tail = redis.call('LRANGE', key, -4, -1)
  local m = #tail          -- valid elements in tail (the oldest last)
  local whole = m < 4      -- tail holds the whole list
  -- e = expired elements contiguous from the tail (ts <= floor); all of them in tail unless e == m == 4
  local e = 0
  while e < m do
    local ts = tail[m - e]
    local l = #ts
    if l < floorLen or (l == floorLen and ts <= floorText) then e = e + 1 else break end
  end
  local oldest, oldestText = nil, nil -- the oldest counted element, if any (and as text)
  if e < m then
    oldestText = tail[m - e]
    oldest = tonumber(oldestText)
  elseif not whole then
    -- every element read has expired: read on from the tail, 8 elements then 4 times more each time (a run of
    -- expiries is usually short, and every element read costs the script), until a counted element; after the
    -- first 8, if the newest has expired too, everything has (even elements a clock step back left above it: they
    -- were admitted earlier still), so the key goes at once
    local size = 8
    while true do
      local chunk = redis.call('LRANGE', key, -(e + size), -(e + 1))
      local i = #chunk
      while i > 0 do
        local ts = chunk[i]
        local l = #ts
        if l < floorLen or (l == floorLen and ts <= floorText) then i = i - 1 else break end
      end
      e = e + (#chunk - i)
      if i > 0 then
        oldestText = chunk[i]
        oldest = tonumber(oldestText)
        break
      end
      if size == 8 then
        local head = redis.call('LINDEX', key, 0)
        if #head < floorLen or (#head == floorLen and head <= floorText) then
          e = -1
          break
        end
      end
      size = size * 4
    end
    if e < 0 then
      redis.call('DEL', key)
      whole = true
    else
      redis.call('LTRIM', key, 0, -(e + 1))
    end
    m = 0
    e = 0
  end
  if e >= 3 then
    redis.call('LTRIM', key, 0, -(e + 1))
    m = m - e
    e = 0
  end

  -- n = counted elements before this request
  local n
  local pushed = true
  if whole then
    n = m - e
    if n + cost > limit then
      pushed = false
    elseif cost == 1 then
      redis.call('LPUSH', key, nowText)
    else
      push(key, cost)
    end
  else
    if cost == 1 then
      n = redis.call('LPUSH', key, nowText) - 1 - e
    else
      n = push(key, cost) - cost - e
    end
    if n + cost > limit then
      redis.call('LPOP', key, cost)
      pushed = false
    end
  end

  if pushed then
    -- TTL: with P = 2 * window, after every admission at t the key lives at least until the end of t's P-epoch plus
    -- window. An element x still in the list was admitted with that guarantee for its own epoch, so if x shares
    -- now's epoch nothing needs renewing; else renew to the end of this epoch plus window (window..3 * window).
    -- x: the newest element read that is still in the list (as text), if any
    local x = m > 0 and tail[1] or oldestText
    if x == nil or #x < #epochEndText or (#x == #epochEndText and x <= epochEndText) then
      redis.call('PEXPIRE', key, ttlMs)
    end
    n = n + cost
    local resetAfter = (oldest or now) + window - now
    if resetAfter < 1 then resetAfter = 1 end
    return limit - n, resetAfter, 0
  end
  -- refused: admitted once the k oldest counted elements have left the window
  local k = n + cost - limit
  local ts
  if e + k <= m then
    ts = tonumber(tail[m - e - k + 1])
  else
    ts = tonumber(redis.call('LINDEX', key, -(e + k)))
  end
  local retryAfter = ts + window - now
  if retryAfter < 1 then retryAfter = 1 end
  local resetAfter = 0
  if n > 0 then
    resetAfter = oldest + window - now
    if resetAfter < 1 then resetAfter = 1 end
  end
  local remaining = limit - n
  if remaining < 0 then remaining = 0 end
  return remaining, resetAfter, retryAfter
end

-- arguments: per check, or once for every check; converted to numbers only when they change from check to check
local out = {}
local j = 0
local shared = #ARGV == 3
local limitText, windowText, costText = ARGV[1], ARGV[2], ARGV[3]
local limit, window, cost = tonumber(limitText), tonumber(windowText), tonumber(costText)
for i = 1, #KEYS do
  if not shared and i > 1 then
    local a = 3 * i
    if ARGV[a - 2] ~= limitText then limitText = ARGV[a - 2]; limit = tonumber(limitText) end
    if ARGV[a - 1] ~= windowText then windowText = ARGV[a - 1]; window = tonumber(windowText) end
    if ARGV[a] ~= costText then costText = ARGV[a]; cost = tonumber(costText) end
  end
  local ok, remaining, resetAfter, retryAfter = pcall(check, KEYS[i], limit, window, cost)
  if not ok then
    if type(remaining) == 'table' then remaining = remaining.err end
    remaining, resetAfter, retryAfter = tostring(remaining), 0, 0
  end
  out[j + 1] = remaining
  out[j + 2] = resetAfter
  out[j + 3] = retryAfter
  j = j + 3
end
out[j + 1] = now
return out
