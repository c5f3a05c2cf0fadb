-- Reads the tasks someone waits for (TaskQueue.await), all of one queue, in one round trip: whole records only of
-- the tasks that finished (SUCCEEDED, DEAD, CANCELLED) or whose waiter's time is up, the state alone of the rest.
-- KEYS the task records (all in the queue's slot)
-- ARGV[i] "1" = return the whole record of KEYS[i] whatever its state, "0" = only if it finished
-- Returns one reply per key: {} (no such task), {state} (unfinished), or the whole record as field, value, ...
local out = {}
for i = 1, #KEYS do
  local state = redis.call('HGET', KEYS[i], 'state')
  if not state then
    out[i] = {}
  elseif ARGV[i] == '1' or state == 'SUCCEEDED' or state == 'DEAD' or state == 'CANCELLED' then
    out[i] = redis.call('HGETALL', KEYS[i])
  else
    out[i] = { state }
  end
end
return out
