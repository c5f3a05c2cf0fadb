-- Includes a library that includes another.
-- include: include_nested.lua
return four_times(1)
