-- Exact sliding-window rate limit (a "sliding log"), one key, one round trip. See docs/wire-format/ratelimit.md.
-- KEYS[1]  the limiter LIST: admission timestamps (integer microseconds of Redis TIME), newest at the head,
--          one element per admitted unit of cost; never longer than the limit.
-- ARGV[1]  limit (max units admitted in any interval of length window), >= 1
-- ARGV[2]  window in microseconds, >= 1000
-- ARGV[3]  cost of this request in units, 1..limit
-- ARGV[4]  TTL of the key in milliseconds (the window, rounded up)
-- Returns {allowed 0|1, remaining, resetAfterMicros, retryAfterMicros, nowMicros}.
-- An element counts while its timestamp ts > now - window; a request is admitted iff counted + cost <= limit.
local key = KEYS[1]
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local t = redis.call('TIME')
local now = t[1] * 1000000 + t[2]
local n = redis.call('LLEN', key)
local oldest = nil
if n > 0 then
  -- keep the list sorted even if the server clock steps back: time never runs backwards for a key
  local newest = tonumber(redis.call('LINDEX', key, 0))
  if newest > now then now = newest end
  local floor = now - window
  oldest = tonumber(redis.call('LINDEX', key, -1))
  if oldest <= floor then
    -- the expired elements are a suffix (tail) of length e, 1 <= e <= n: gallop from the tail, then bisect
    local expired = 1
    local probe = 2
    local probeValue = nil
    while probe <= n do
      probeValue = tonumber(redis.call('LINDEX', key, -probe))
      if probeValue > floor then break end
      expired = probe
      probe = probe * 2
      probeValue = nil
    end
    local live = probe
    local liveValue = probeValue
    if live > n + 1 then
      live = n + 1
      liveValue = nil
    end
    while live - expired > 1 do
      local mid = math.floor((expired + live) / 2)
      local v = tonumber(redis.call('LINDEX', key, -mid))
      if v <= floor then
        expired = mid
      else
        live = mid
        liveValue = v
      end
    end
    if expired >= n then
      redis.call('DEL', key)
      n = 0
      oldest = nil
    else
      redis.call('LTRIM', key, 0, -(expired + 1))
      n = n - expired
      oldest = liveValue
    end
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
      local m = math.min(left, 1000)
      for i = 1, m do batch[i] = now end
      for i = m + 1, #batch do batch[i] = nil end
      redis.call('LPUSH', key, unpack(batch))
      left = left - m
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
return {allowed, limit - n, resetAfter, retryAfter, now}
