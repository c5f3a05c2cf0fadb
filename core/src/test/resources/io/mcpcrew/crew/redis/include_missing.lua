-- Includes a library that does not exist.
-- include: no_such_lib.lua
return 1
