-- Doubles a number with a library function (a test script).
-- KEYS none
-- ARGV[1] a number

-- include: include_lib.lua
-- Returns twice ARGV[1].
return twice(tonumber(ARGV[1]))
