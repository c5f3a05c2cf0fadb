-- A library for LuaScriptTest.
local function twice(x)
  return 2 * x
end
