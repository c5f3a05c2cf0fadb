-- Exact sliding-window rate limit (a "sliding log"), one round trip. Version 2; see docs/wire-format/ratelimit.md.
-- Decides one or more checks in order, each on its own key (the limiter may batch concurrent checks):
-- KEYS[i]       the limiter LIST of check i: admission timestamps (integer microseconds of Redis TIME), newest at
--               the head, one element per admitted unit of cost; at most limit + 3 elements
-- ARGV[3i - 2]  limit (max units admitted in any interval of length window), >= 1
-- ARGV[3i - 1]  window in microseconds, >= 1000
-- ARGV[3i]      cost of this request in units, 1..limit
-- Returns 3 integers per check, {remaining, resetAfterMicros, retryAfterMicros} (allowed iff retryAfterMicros is 0,
-- a refusal's is at least 1), or for a check that failed (e.g. WRONGTYPE) its error message and two zeros; then
-- nowMicros, the decisions' server time (which is also the timestamp written).
-- An element counts while its timestamp ts > now - window; a request is admitted iff counted + cost <= limit.
--
-- Every redis.call costs more than the command it runs (about a microsecond of server time), so the common
-- admission is LRANGE (the 4 oldest elements) and LPUSH, with one TIME per script:
-- * the count comes from LPUSH's reply (a refusal pops what it pushed) unless the whole list was in the LRANGE;
-- * expired elements are trimmed three at a time (up to 2 stay at the tail; the count leaves them out);
-- * the TTL is renewed only when the newest element read is from an earlier 2-window-aligned epoch than now (or
--   none is left): to the end of this epoch plus window, which covers every admission until the epoch ends.
-- Only elements seen to be expired, contiguous from the tail, are ever removed, so the decision never counts
-- fewer units than are within the window, even if the server clock steps back (it may then count more).
local t = redis.call('TIME')
local now = t[1] * 1000000 + t[2]
local nowText = t[1] .. string.format('%06d', t[2]) -- what LPUSH writes: converted once, not per element

-- pushes cost copies of now at the head of key; returns the new length
local function push(key, cost)
  if cost == 1 then
    return redis.call('LPUSH', key, nowText)
  end
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

-- ts <= bound, as decimal text (timestamps have 16 digits until 2286; a shorter one is smaller)
local function atMost(ts, bound)
  local a, b = #ts, #bound
  return a < b or (a == b and ts <= bound)
end

-- per window, computed once per run (the checks of a run usually share one policy): floor = now - window as
-- text; the start of now's P-epoch (P = 2 * window) as text; the TTL in ms that lasts to its end plus window
local perWindow = {}
local function windowFacts(window)
  local f = perWindow[window]
  if not f then
    local period = 2 * window
    local epoch = math.floor(now / period)
    f = {string.format('%d', now - window), string.format('%d', epoch * period - 1),
      math.ceil(((epoch + 1) * period + window - now) / 1000)}
    perWindow[window] = f
  end
  return f
end

local function check(key, limit, window, cost)
  local facts = windowFacts(window)
  local floorText = facts[1]
  local tail = redis.call('LRANGE', key, -4, -1)
  local m = #tail          -- valid elements in tail (the oldest last)
  local whole = m < 4      -- tail holds the whole list
  -- e = expired elements contiguous from the tail; all of them in tail unless e == m == 4
  local e = 0
  while e < m and atMost(tail[m - e], floorText) do
    e = e + 1
  end
  local oldest = nil -- the oldest counted element, if any (and as text)
  local oldestText = nil
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
      while i > 0 and atMost(chunk[i], floorText) do
        i = i - 1
      end
      e = e + (#chunk - i)
      if i > 0 then
        oldestText = chunk[i]
        oldest = tonumber(oldestText)
        break
      end
      if size == 8 and atMost(redis.call('LINDEX', key, 0), floorText) then
        e = -1 -- all expired
        break
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
  local pushed = false
  if whole then
    n = m - e
    if n + cost <= limit then
      push(key, cost)
      pushed = true
    end
  else
    n = push(key, cost) - cost - e
    pushed = true
    if n + cost > limit then
      redis.call('LPOP', key, cost)
      pushed = false
    end
  end

  local retryAfter = 0
  if pushed then
    -- TTL: with P = 2 * window, after every admission at t the key lives at least until the end of t's P-epoch plus
    -- window. An element x still in the list was admitted with that guarantee for its own epoch, so if x shares
    -- now's epoch nothing needs renewing; else renew to the end of this epoch plus window (window..3 * window).
    -- x: the newest element read that is still in the list (as text), if any
    local x = m > 0 and tail[1] or oldestText
    if x == nil or atMost(x, facts[2]) then
      redis.call('PEXPIRE', key, facts[3])
    end
    if oldest == nil then oldest = now end
    n = n + cost
  else
    -- admitted once the k oldest counted elements have left the window
    local k = n + cost - limit
    local ts
    if e + k <= m then
      ts = tonumber(tail[m - e - k + 1])
    else
      ts = tonumber(redis.call('LINDEX', key, -(e + k)))
    end
    retryAfter = ts + window - now
    if retryAfter < 1 then retryAfter = 1 end
  end
  local resetAfter = 0
  if n > 0 then
    resetAfter = oldest + window - now
    if resetAfter < 1 then resetAfter = 1 end
  end
  local remaining = limit - n
  if remaining < 0 then remaining = 0 end
  return remaining, resetAfter, retryAfter
end

local numbers = {} -- ARGV text -> number, once per run
local function num(s)
  local v = numbers[s]
  if not v then
    v = tonumber(s)
    numbers[s] = v
  end
  return v
end

local out = {}
for i = 1, #KEYS do
  local ok, remaining, resetAfter, retryAfter = pcall(check, KEYS[i], num(ARGV[3 * i - 2]), num(ARGV[3 * i - 1]),
    num(ARGV[3 * i]))
  if ok then
    out[#out + 1] = remaining
    out[#out + 1] = resetAfter
    out[#out + 1] = retryAfter
  else
    if type(remaining) == 'table' then remaining = remaining.err end
    out[#out + 1] = tostring(remaining)
    out[#out + 1] = 0
    out[#out + 1] = 0
  end
end
out[#out + 1] = now
return out
