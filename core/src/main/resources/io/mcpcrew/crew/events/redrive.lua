-- Redrives a dead letter: publishes its event again to its stream as a new entry and removes the dead letter, in
-- one step. Version 1; see docs/wire-format/events.md ("redrive.lua").
-- KEYS[1] the stream, KEYS[2] its dead-letter stream (<stream>:dead; one hash slot with the stream)
-- ARGV[1] the dead-letter entry id, ARGV[2] MAXLEN of the stream (approximate; 0: none), ARGV[3] a new publish id
-- Returns the new entry id in the stream, or false when the dead-letter stream holds no entry with that id.
-- The new entry has the dead letter's fields without the dead_* fields and with the new publish id (pid).
local found = redis.call('XRANGE', KEYS[2], ARGV[1], ARGV[1])
if #found == 0 then
  return false
end
local f = found[1][2]
local args = {'XADD', KEYS[1]}
if tonumber(ARGV[2]) > 0 then
  args[#args + 1] = 'MAXLEN'
  args[#args + 1] = '~'
  args[#args + 1] = ARGV[2]
end
args[#args + 1] = '*'
for k = 1, #f, 2 do
  local name = f[k]
  if name ~= 'pid' and string.sub(name, 1, 5) ~= 'dead_' then
    args[#args + 1] = name
    args[#args + 1] = f[k + 1]
  end
end
args[#args + 1] = 'pid'
args[#args + 1] = ARGV[3]
local id = redis.call(unpack(args))
redis.call('XDEL', KEYS[2], ARGV[1])
return id
