-- Records that a member (a user in a tenant's registry, a tenant in the system registry) has sessions until at
-- least ARGV[2] (epoch ms): ZADD GT keeps the latest; the registry expires with its latest member.
-- KEYS[1] the registry sorted set; ARGV[1] member, ARGV[2] visit-until ms
-- Returns 1.
-- include: lib.lua
redis.call('ZADD', KEYS[1], 'GT', ARGV[2], ARGV[1])
local top = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
redis.call('PEXPIREAT', KEYS[1], top[2])
return 1
