-- Replays an event buffered after a publish whose outcome was unknown (a timeout Redis may have applied): adds it
-- unless the stream already holds an entry with its publish id. Only replays of such writes run this script.
-- KEYS[1] stream
-- ARGV[1] the first entry id to look at ("<ms>-0": the failed attempt's time less the allowed clock skew)
-- ARGV[2] the publish id (value of the 'pid' field), ARGV[3] MAXLEN (approximate; 0: none)
-- ARGV[4..] field, value pairs of the entry
-- Returns {id, 1} when it added the entry, {id, 0} when the stream held it already (id: that entry's id).
local from = ARGV[1]
while true do
  local page = redis.call('XRANGE', KEYS[1], from, '+', 'COUNT', 500)
  for i = 1, #page do
    local f = page[i][2]
    for k = 1, #f, 2 do
      if f[k] == 'pid' and f[k + 1] == ARGV[2] then
        return {page[i][1], 0}
      end
    end
  end
  if #page < 500 then
    break
  end
  from = '(' .. page[#page][1]
end
local args = {'XADD', KEYS[1]}
if tonumber(ARGV[3]) > 0 then
  args[#args + 1] = 'MAXLEN'
  args[#args + 1] = '~'
  args[#args + 1] = ARGV[3]
end
args[#args + 1] = '*'
for i = 4, #ARGV do
  args[#args + 1] = ARGV[i]
end
return {redis.call(unpack(args)), 1}
