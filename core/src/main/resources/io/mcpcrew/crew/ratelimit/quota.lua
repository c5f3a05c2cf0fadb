-- Token-bucket (GCRA) and sliding-window-counter limits of one tenant and resource, several decided together, all
-- or nothing, in one round trip. Version 1; see docs/wire-format/ratelimit.md ("Quota state").
-- Decides one or more items in order, each on its own key (the limiter merges concurrent items whose policies have
-- as many limits):
-- KEYS[i]  item i's state HASH (crew:<tenant>:ratelimit:{<tenant>.<resource>}:q): fields t (the time of the last
--          write) and e (the expiry last set), integer microseconds of Redis TIME, and two per limit (below)
-- ARGV     per item: n (its limits, 1..8), op ('c': check and consume; 'a': adjust), amount ('c': the cost, >= 1;
--          'a': a delta of tokens, negative to give back), then 5 per limit: name, kind, p1, p2, p3 where kind is
--          TR | TT  token bucket counting requests | tokens: p1 = m (points refilled per µs), p2 = w (points per
--                   unit), p3 = capacity (burst * w); fields <name> = points owed, <name>:x = the w they count in
--          SR | ST  sliding counter counting requests | tokens: p1 = window µs, p2 = max, p3 = 0; fields <name> =
--                   units in the window of t (windows aligned on the Unix epoch), <name>:x = units in the one before
--          or, with exactly 3 + 5n ARGV whatever the number of items, one set for every item.
-- Returns per item 2 + 3n integers: refused (0: admitted; else the 1-based index of the limit to wait for longest),
-- retryAfterMicros (0 iff admitted), then per limit remaining, resetAfterMicros, retryAfterMicros (0: it admits);
-- for an item that failed (e.g. WRONGTYPE) its error message and zeros instead; after the last item nowMicros.
-- A check writes only when admitted: every limit consumes, t = now; an adjust changes the tokens limits and writes.
-- All arithmetic is on integers below 2^53 (exact in Lua numbers), except a sliding counter's weighting of the
-- previous window (a product that may round in its last bits: far below one unit).

local tm = redis.call('TIME')
local now = tm[1] * 1000000 + tm[2]
local nowText = tm[1] .. string.format('%06d', tm[2])

-- the exact text of an integer (tostring would round it to 14 digits)
local function int(x)
  return string.format('%d', x)
end

-- the limits of one item from ARGV[base + 1 ...], and the fields to read
local function parse(base, n)
  local ls = {}
  local fields = {'t', 'e'}
  for i = 1, n do
    local a = base + 5 * (i - 1)
    local kind = ARGV[a + 2]
    local l = {f = ARGV[a + 1], bucket = kind == 'TR' or kind == 'TT', tokens = kind == 'TT' or kind == 'ST',
      p1 = tonumber(ARGV[a + 3]), p2 = tonumber(ARGV[a + 4]), p3 = tonumber(ARGV[a + 5])}
    l.fx = l.f .. ':x'
    ls[i] = l
    fields[2 * i + 1] = l.f
    fields[2 * i + 2] = l.fx
  end
  return ls, fields
end

-- a sliding counter's wait until units more fit (cur, prev: the counts now; el: µs into window k)
local function counterRetry(cur, prev, units, w, max, k, el)
  if cur + units <= max and prev > 0 then
    -- later in this window: prev * (w - el2) + (cur + units) * w <= max * w
    local need = w - math.floor((max - cur - units) * w / prev)
    if need < w then
      return math.max(1, need - el)
    end
  end
  -- in the next window, where cur is the previous one: cur * (w - el2) + units * w <= max * w
  local need = 0
  if cur > 0 then
    need = math.max(0, w - math.floor((max - units) * w / cur))
  end
  return math.max(1, (k + 1) * w + need - now)
end

local function decide(key, op, amount, ls, fields)
  local s = redis.call('HMGET', key, unpack(fields))
  local t = tonumber(s[1])
  local e = tonumber(s[2])
  local n = #ls
  local out = {0, 0}
  local pre, post, x2, win = {}, {}, {}, {} -- per limit: the state before and after consuming; counter: prev, k
  for i = 1, n do
    local l = ls[i]
    local v = tonumber(s[2 * i + 1]) or 0
    local x = tonumber(s[2 * i + 2]) or 0
    local units
    if op == 'c' then
      units = l.tokens and amount or 1
    else
      units = l.tokens and amount or 0
    end
    local retry = 0
    if l.bucket then
      local m, w, cap = l.p1, l.p2, l.p3
      if t == nil then
        v = 0
      else
        if v > 0 and x > 0 and x ~= w then
          v = math.ceil(v * w / x) -- owed at another rate (the policy changed): the same units, rounded up
        end
        local el = now - t
        if el > 0 then
          if el * m >= v then v = 0 else v = v - el * m end
        end
      end
      local after = v + units * w
      if op == 'a' then
        if after < 0 then after = 0 elseif after > 2 * cap then after = 2 * cap end
      elseif after > cap then
        retry = math.ceil((after - cap) / m)
        after = v
      end
      pre[i], post[i], x2[i] = v, after, w
    else
      local w, max = l.p1, l.p2
      local k = math.floor(now / w)
      local cur, prev = 0, 0
      if t ~= nil then
        local kt = math.floor(t / w)
        if kt == k or kt > k then -- (later: the server clock stepped back; keep counting what was counted)
          cur, prev = v, x
        elseif kt == k - 1 then
          prev = v
        end
      end
      local el = now - k * w
      pre[i] = cur
      if op == 'a' then
        if units >= 0 then
          cur = math.min(cur + units, 2 * max)
        elseif -units <= cur then
          cur = cur + units
        else
          prev = math.max(0, prev + units + cur)
          cur = 0
        end
      elseif cur + units <= max and prev * (w - el) + (cur + units) * w <= max * w then
        cur = cur + units
      else
        retry = counterRetry(cur, prev, units, w, max, k, el)
      end
      post[i], x2[i], win[i] = cur, prev, k
    end
    out[3 * i + 2] = retry
    if retry > out[2] then
      out[1], out[2] = i, retry
    end
  end
  local refused = out[1] > 0 and op == 'c'
  local lives = now   -- until when the state counts something
  local longest = 0   -- the longest window (slack of a renewed expiry)
  for i = 1, n do
    local l = ls[i]
    local v = refused and pre[i] or post[i]
    local remaining, reset
    if l.bucket then
      local m, w, cap = l.p1, l.p2, l.p3
      remaining = math.max(0, math.floor((cap - v) / w))
      reset = math.ceil(v / m)
      longest = math.max(longest, math.ceil(cap / m))
    else
      local w, max, k, prev = l.p1, l.p2, win[i], x2[i]
      local el = now - k * w
      remaining = math.max(0, math.floor(max - v - prev * (w - el) / w))
      if v > 0 then
        reset = (k + 2) * w - now
      elseif prev > 0 then
        reset = w - el
      else
        reset = 0
      end
      longest = math.max(longest, w)
    end
    out[3 * i], out[3 * i + 1] = remaining, reset
    lives = math.max(lives, now + reset)
  end
  if refused then
    return out -- nothing written
  end
  local args = {'t', nowText}
  for i = 1, n do
    local l = ls[i]
    args[#args + 1] = l.f
    args[#args + 1] = int(post[i])
    if tonumber(s[2 * i + 2]) ~= x2[i] then
      args[#args + 1] = l.fx
      args[#args + 1] = int(x2[i])
    end
  end
  local renew = e == nil or lives > e
  if renew then
    e = lives + longest
    args[#args + 1] = 'e'
    args[#args + 1] = int(e)
  end
  redis.call('HSET', key, unpack(args))
  if renew then
    redis.call('PEXPIREAT', key, int(math.ceil(e / 1000)))
  end
  return out
end

local res = {}
local j = 0
local shared = #ARGV == 3 + 5 * tonumber(ARGV[1])
local ls, fields, op, amount, width
local pos = 0
for i = 1, #KEYS do
  if i == 1 or not shared then
    local n = tonumber(ARGV[pos + 1])
    op, amount = ARGV[pos + 2], tonumber(ARGV[pos + 3])
    ls, fields = parse(pos + 3, n)
    width = 2 + 3 * n
    pos = pos + 3 + 5 * n
  end
  local ok, out = pcall(decide, KEYS[i], op, amount, ls, fields)
  if not ok then
    if type(out) == 'table' then out = out.err end
    local msg = tostring(out)
    out = {msg}
    for k = 2, width do out[k] = 0 end
  end
  for k = 1, width do res[j + k] = out[k] end
  j = j + width
end
res[j + 1] = now
return res
