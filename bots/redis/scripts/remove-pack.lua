--[[
  Removes a workspace's own pack: every stored version, its entry in the
  packs hash and any switch for it; bumps the workspace's content version.
  Atomic.
  KEYS[1] the workspace's packs hash   KEYS[2] the pack's versions hash   KEYS[3] the workspace's settings hash
  ARGV[1] pack id
  Returns the removed pack's info JSON, or false when the workspace has no such pack.
]]
local old = redis.call('HGET', KEYS[1], ARGV[1])
if not old then return false end
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('DEL', KEYS[2])
local text = redis.call('HGET', KEYS[3], 'packs-off')
if text then
  local ok, list = pcall(cjson.decode, text)
  if ok and type(list) == 'table' then
    local out = {}
    for _, id in ipairs(list) do if type(id) == 'string' and id ~= ARGV[1] then out[#out + 1] = id end end
    if #out == 0 then redis.call('HDEL', KEYS[3], 'packs-off') else redis.call('HSET', KEYS[3], 'packs-off', cjson.encode(out)) end
  end
end
redis.call('HINCRBY', KEYS[3], 'content', 1)
return old
