-- Sets a key and appends its value to a list: two keys in one script (a test script for hash tags on Cluster).
-- KEYS[1] a string key, KEYS[2] a list
-- ARGV[1] the value
-- Returns the list's new length.
redis.call('SET', KEYS[1], ARGV[1])
return redis.call('RPUSH', KEYS[2], redis.call('GET', KEYS[1]))
