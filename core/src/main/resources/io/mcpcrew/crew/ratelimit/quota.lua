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

local call, format, floor, ceil, max, min = redis.call, string.format, math.floor, math.ceil, math.max, math.min
local tm = call('TIME')
local now = tm[1] * 1000000 + tm[2]
local nowText = tm[1] .. format('%06d', tm[2])

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
local function counterRetry(cur, prev, units, w, mx, k, el)
  if cur + units <= mx and prev > 0 then
    -- later in this window: prev * (w - el2) + (cur + units) * w <= mx * w
    local need = w - floor((mx - cur - units) * w / prev)
    if need < w then
      return max(1, need - el)
    end
  end
  -- in the next window, where cur is the previous one: cur * (w - el2) + units * w <= mx * w
  local need = 0
  if cur > 0 then
    need = max(0, w - floor((mx - units) * w / cur))
  end
  return max(1, (k + 1) * w + need - now)
end

local res = {}
-- per limit of the item being decided: the state before and after consuming, the scale or previous count, the
-- window index; and the HSET arguments (tables reused from item to item: a run decides many)
local pre, post, x2, win, args = {}, {}, {}, {}, {}

-- decides one item on key, its replies into res[j + 1 ... j + 2 + 3n]
local function decide(key, op, amount, ls, fields, j)
  local s = call('HMGET', key, unpack(fields))
  local t = tonumber(s[1])
  local e = tonumber(s[2])
  local n = #ls
  local refusedBy, wait = 0, 0
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
          v = ceil(v * w / x) -- owed at another rate (the policy changed): the same units, rounded up
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
        retry = ceil((after - cap) / m)
        after = v
      end
      pre[i], post[i], x2[i] = v, after, w
    else
      local w, mx = l.p1, l.p2
      local k = floor(now / w)
      local cur, prev = 0, 0
      if t ~= nil then
        local kt = floor(t / w)
        if kt >= k then -- (later: the server clock stepped back; keep counting what was counted)
          cur, prev = v, x
        elseif kt == k - 1 then
          prev = v
        end
      end
      local el = now - k * w
      pre[i] = cur
      if op == 'a' then
        if units >= 0 then
          cur = min(cur + units, 2 * mx)
        elseif -units <= cur then
          cur = cur + units
        else
          prev = max(0, prev + units + cur)
          cur = 0
        end
      elseif cur + units <= mx and prev * (w - el) + (cur + units) * w <= mx * w then
        cur = cur + units
      else
        retry = counterRetry(cur, prev, units, w, mx, k, el)
      end
      post[i], x2[i], win[i] = cur, prev, k
    end
    res[j + 3 * i + 2] = retry
    if retry > wait then
      refusedBy, wait = i, retry
    end
  end
  res[j + 1], res[j + 2] = refusedBy, wait
  local refused = refusedBy > 0 and op == 'c'
  local lives = now   -- until when the state counts something
  local longest = 0   -- the longest window (slack of a renewed expiry)
  for i = 1, n do
    local l = ls[i]
    local v = refused and pre[i] or post[i]
    local remaining, reset
    if l.bucket then
      local m, w, cap = l.p1, l.p2, l.p3
      remaining = max(0, floor((cap - v) / w))
      reset = ceil(v / m)
      longest = max(longest, ceil(cap / m))
    else
      local w, k, prev = l.p1, win[i], x2[i]
      local el = now - k * w
      remaining = max(0, floor(l.p2 - v - prev * (w - el) / w))
      if v > 0 then
        reset = (k + 2) * w - now
      elseif prev > 0 then
        reset = w - el
      else
        reset = 0
      end
      longest = max(longest, w)
    end
    res[j + 3 * i], res[j + 3 * i + 1] = remaining, reset
    if now + reset > lives then lives = now + reset end
  end
  if refused then
    return -- nothing written
  end
  args[1], args[2] = 't', nowText
  local c = 2
  for i = 1, n do
    local l = ls[i]
    args[c + 1], args[c + 2] = l.f, format('%d', post[i]) -- %d: tostring would round to 14 digits
    c = c + 2
    if tonumber(s[2 * i + 2]) ~= x2[i] then
      args[c + 1], args[c + 2] = l.fx, format('%d', x2[i])
      c = c + 2
    end
  end
  local renew = e == nil or lives > e
  if renew then
    e = lives + longest
    args[c + 1], args[c + 2] = 'e', format('%d', e)
    c = c + 2
  end
  call('HSET', key, unpack(args, 1, c))
  if renew then
    call('PEXPIREAT', key, format('%d', ceil(e / 1000)))
  end
end

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
  local ok, err = pcall(decide, KEYS[i], op, amount, ls, fields, j)
  if not ok then
    if type(err) == 'table' then err = err.err end
    res[j + 1] = tostring(err)
    for k = 2, width do res[j + k] = 0 end
  end
  j = j + width
end
res[j + 1] = now
return res
