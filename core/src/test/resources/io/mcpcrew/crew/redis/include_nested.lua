-- A library that includes another, which LuaScript refuses.
-- include: include_lib.lua
local function four_times(x)
  return twice(twice(x))
end
