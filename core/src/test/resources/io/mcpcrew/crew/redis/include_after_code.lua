-- A script whose include line comes after code: there it is a plain comment, not an include.
-- KEYS none
-- ARGV none
-- Returns 1.
return 1
-- include: no_such_lib.lua
