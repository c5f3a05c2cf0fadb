-- Exact sliding-window rate limit (a "sliding log"), one key, one round trip. See docs/wire-format/ratelimit.md.
-- KEYS[1]  the limiter LIST: admission timestamps (integer microseconds of Redis TIME), newest at the head,
--          one element per admitted unit of cost; never longer than the limit.
-- ARGV[1]  limit (max units admitted in any interval of length window), >= 1
-- ARGV[2]  window in microseconds, >= 1000
-- ARGV[3]  cost of this request in units, 1..limit
-- ARGV[4]  TTL of the key in milliseconds (the window, rounded up)
-- Returns {allowed 0|1, remaining, resetAfterMicros, retryAfterMicros, nowMicros}.
-- An element counts while its timestamp ts > now - window; a request is admitted iff counted + cost <= limit.
-- Every redis.call costs about a microsecond of server time, so the common cases use few: the 4 oldest elements
-- come in one LRANGE (which is the whole list when it is short), a refusal writes nothing.
local key = KEYS[1]
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local t = redis.call('TIME')
local now = t[1] * 1000000 + t[2]
local tail = redis.call('LRANGE', key, -4, -1)
local m = #tail
local n = m
local oldest = nil
if m > 0 then
  local newest = tail[1]
  if m == 4 then
    n = redis.call('LLEN', key)
    if n > 4 then newest = redis.call('LINDEX', key, 0) end
  end
  -- keep the list sorted even if the server clock steps back: time never runs backwards for a key
  newest = tonumber(newest)
  if newest > now then now = newest end
  local floor = now - window
  -- the expired elements are a suffix (tail) of length e, 0 <= e <= n: the 4 oldest settle e <= 3; beyond that
  -- gallop from the tail, then bisect (O(log e) calls)
  local expired = 0
  while expired < m and tonumber(tail[m - expired]) <= floor do
    expired = expired + 1
  end
  if expired < m then
    oldest = tonumber(tail[m - expired])
  elseif m < n then
    local live = n + 1
    local probe = expired * 2
    while probe <= n do
      local v = tonumber(redis.call('LINDEX', key, -probe))
      if v > floor then
        live = probe
        oldest = v
        break
      end
      expired = probe
      probe = probe * 2
    end
    while live - expired > 1 do
      local mid = math.floor((expired + live) / 2)
      local v = tonumber(redis.call('LINDEX', key, -mid))
      if v <= floor then
        expired = mid
      else
        live = mid
        oldest = v
      end
    end
  end
  if expired >= n then
    redis.call('DEL', key)
    n = 0
    oldest = nil
  elseif expired > 0 then
    redis.call('LTRIM', key, 0, -(expired + 1))
    n = n - expired
  end
end
local allowed = 0
local retryAfter = 0
if n + cost <= limit then
  allowed = 1
  -- a Lua number reaches Redis as its shortest exact decimal form: integer microseconds, no exponent
  if cost == 1 then
    redis.call('LPUSH', key, now)
  else
    local batch = {}
    local left = cost
    while left > 0 do
      local b = math.min(left, 1000)
      for i = 1, b do batch[i] = now end
      for i = b + 1, #batch do batch[i] = nil end
      redis.call('LPUSH', key, unpack(batch))
      left = left - b
    end
  end
  redis.call('PEXPIRE', key, ARGV[4])
  if n == 0 then oldest = now end
  n = n + cost
else
  -- admitted once the (n + cost - limit) oldest counted elements have left the window
  local k = n + cost - limit
  local ts = oldest
  if k > 1 then ts = tonumber(redis.call('LINDEX', key, -k)) end
  retryAfter = ts + window - now
end
local resetAfter = 0
if n > 0 then resetAfter = oldest + window - now end
local remaining = limit - n
if remaining < 0 then remaining = 0 end
return {allowed, remaining, resetAfter, retryAfter, now}
