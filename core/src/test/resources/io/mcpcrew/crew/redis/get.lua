-- Reads a string key (a test script).
-- KEYS[1] the key
-- ARGV none
-- Returns its value, or nil.
return redis.call('GET', KEYS[1])
