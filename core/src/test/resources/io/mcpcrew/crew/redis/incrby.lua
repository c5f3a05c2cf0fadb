-- Increments a counter (a test script).
-- KEYS[1] the counter
-- ARGV[1] the increment
-- Returns the new value.
return redis.call('INCRBY', KEYS[1], ARGV[1])
