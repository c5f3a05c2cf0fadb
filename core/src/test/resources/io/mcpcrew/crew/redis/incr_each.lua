-- Increments each key by its own argument, one key's error never failing the others (a test script for merged runs).
-- KEYS[i] a counter
-- ARGV[i] its increment ('fail' makes that key's INCRBY fail)
-- Returns the new value (or the error message) per key, then #KEYS.
local out = {}
for i = 1, #KEYS do
  local ok, v = pcall(redis.call, 'INCRBY', KEYS[i], ARGV[i])
  if ok then out[#out + 1] = v else out[#out + 1] = (type(v) == 'table' and v.err or tostring(v)) end
end
out[#out + 1] = #KEYS
return out
