-- Deletes sessions of one user and their index entries, then prunes the index.
-- KEYS[1] the user's index, KEYS[2..n] session hashes; ARGV[1..n-1] the matching session ids
-- Returns how many session hashes existed and were deleted.
-- include: lib.lua
local deleted = 0
for i = 2, #KEYS do
  deleted = deleted + redis.call('DEL', KEYS[i])
  redis.call('ZREM', KEYS[1], ARGV[i - 1])
end
index_put(KEYS[1], nil, nil, now_ms())
return deleted
