-- Increments a counter by one (a test script).
-- KEYS[1] the counter
-- ARGV none
-- Returns the new value.
return redis.call('INCR', KEYS[1])
