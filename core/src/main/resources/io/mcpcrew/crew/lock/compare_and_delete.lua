-- Deletes KEYS[1] only if its value is ARGV[1] (the holder's token): releases a lock without
-- ever releasing one that expired and was taken by someone else. Returns 1 if deleted, 0 otherwise.
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
