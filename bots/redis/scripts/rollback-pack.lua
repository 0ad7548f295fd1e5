--[[
  Makes a workspace pack's previous version current again, with that version's
  own info (title, counts, file, uploader); the version rolled back from is
  dropped. Bumps the workspace's content version. Atomic.
  KEYS[1] the workspace's packs hash   KEYS[2] the pack's versions hash   KEYS[3] the workspace's settings hash
  ARGV[1] pack id
  Returns the new info JSON, or false when the pack is unknown or has no earlier version.
]]
local old = redis.call('HGET', KEYS[1], ARGV[1])
if not old then return false end
local ok, info = pcall(cjson.decode, old)
if not ok or type(info) ~= 'table' or type(info.previous) ~= 'table' then return false end
local target = tonumber(info.previous[1])
if not target or redis.call('HEXISTS', KEYS[2], 'v' .. target) == 0 then return false end
redis.call('HDEL', KEYS[2], 'v' .. tostring(info.version), 'i' .. tostring(info.version))
local rest = {}
for i = 2, #info.previous do rest[#rest + 1] = info.previous[i] end
local kept = redis.call('HGET', KEYS[2], 'i' .. target)
if kept then
  local ok2, k = pcall(cjson.decode, kept)
  if ok2 and type(k) == 'table' then info = k end
end
info.version = target
info.previous = rest
local text = cjson.encode(info)
redis.call('HSET', KEYS[1], ARGV[1], text)
redis.call('HINCRBY', KEYS[3], 'content', 1)
return text
