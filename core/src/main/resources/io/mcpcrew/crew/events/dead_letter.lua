-- Moves one pending entry of a consumer group to the dead-letter stream, then acknowledges it: both or neither.
-- KEYS[1] stream, KEYS[2] dead-letter stream (same hash tag)
-- ARGV[1] group, ARGV[2] entry id, ARGV[3] error, ARGV[4] deliveries, ARGV[5] consumer,
-- ARGV[6] dead-letter TTL in ms (0: none), ARGV[7] dead-letter MAXLEN (approximate), ARGV[8] now (ms)
-- Returns the dead-letter entry id, or false if the entry is no longer pending on this consumer (another
-- consumer reclaimed it meanwhile: it decides).
local pending = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[2], ARGV[2], 1, ARGV[5])
if #pending == 0 then
  return false
end
local fields = {}
local found = redis.call('XRANGE', KEYS[1], ARGV[2], ARGV[2])
if #found > 0 then
  fields = found[1][2]
end
local args = {'XADD', KEYS[2], 'MAXLEN', '~', ARGV[7], '*'}
for i = 1, #fields do
  args[#args + 1] = fields[i]
end
local about = {'dead_original_id', ARGV[2], 'dead_error', ARGV[3], 'dead_deliveries', ARGV[4],
  'dead_group', ARGV[1], 'dead_consumer', ARGV[5], 'dead_at', ARGV[8]}
for i = 1, #about do
  args[#args + 1] = about[i]
end
local id = redis.call(unpack(args))
if tonumber(ARGV[6]) > 0 then
  redis.call('PEXPIRE', KEYS[2], ARGV[6])
end
redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
return id
