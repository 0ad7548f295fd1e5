--[[
  Switches a pack (built-in or the workspace's own) off or on for a workspace
  and bumps its content version. Atomic.
  KEYS[1] the workspace's settings hash ("packs-off": JSON list of pack ids; "content": the content version)
  ARGV[1] pack id   ARGV[2] '1' on, '0' off
  Returns 1 when something changed, 0 when it was so already.
]]
local off = {}
local text = redis.call('HGET', KEYS[1], 'packs-off')
if text then
  local ok, list = pcall(cjson.decode, text)
  if ok and type(list) == 'table' then
    for _, id in ipairs(list) do if type(id) == 'string' then off[#off + 1] = id end end
  end
end
local out, found = {}, false
for _, id in ipairs(off) do
  if id == ARGV[1] then found = true end
  if id ~= ARGV[1] then out[#out + 1] = id end
end
if ARGV[2] == '1' then
  if not found then return 0 end
else
  if found then return 0 end
  out[#out + 1] = ARGV[1]
end
if #out == 0 then redis.call('HDEL', KEYS[1], 'packs-off') else redis.call('HSET', KEYS[1], 'packs-off', cjson.encode(out)) end
redis.call('HINCRBY', KEYS[1], 'content', 1)
return 1
