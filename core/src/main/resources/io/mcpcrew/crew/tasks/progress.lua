-- include: lib.lua
-- Records the progress reported by the handlers of RUNNING tasks whose leases the caller holds (their
-- "<id>|<token>" members are still in the running set): HSET progress, progressMessage, progressAt on each task
-- record. A task whose lease was lost is not touched. With the completion stream on, each write adds an entry
-- (outcome PROGRESS, with progress and progressMessage) to it.
-- KEYS[1] running, KEYS[2] completion stream
-- ARGV[1] task key prefix, ARGV[2] completion stream max length (0 = no stream), ARGV[3] completion stream TTL (ms),
-- then 5 per task: id, lease, percent (0..100), message ("" = none), reported at (epoch ms)
-- Returns one 1 (written) or 0 (lease lost) per task.
local prefix, streamMax = ARGV[1], tonumber(ARGV[2])
local members = {}
for i = 4, #ARGV, 5 do
  members[#members + 1] = ARGV[i + 1]
end
local held = redis.call('ZMSCORE', KEYS[1], unpack(members))
local out = {}
local streamAdded = false
for j = 1, #members do
  local b = 4 + (j - 1) * 5
  if held[j] then
    local k = prefix .. ARGV[b]
    redis.call('HSET', k, 'progress', ARGV[b + 2], 'progressMessage', ARGV[b + 3], 'progressAt', ARGV[b + 4])
    if streamMax > 0 then
      local f = redis.call('HMGET', k, 'spec', 'attempts')
      streamAdded = addCompletion(KEYS[2], streamMax, ARGV[b], f[1], 'PROGRESS', f[2],
        { 'progress', ARGV[b + 2], 'progressMessage', ARGV[b + 3] }) or streamAdded
    end
    out[j] = 1
  else
    out[j] = 0
  end
end
if streamAdded then
  redis.call('PEXPIRE', KEYS[2], ARGV[3])
end
return out
