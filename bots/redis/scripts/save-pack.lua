--[[
  Stores a new version of a workspace's content pack and makes it current,
  keeping the last ARGV[4] versions for rollback; bumps the workspace's
  content version (catalogs are cached by it). Atomic.
  KEYS[1] the workspace's packs hash (pack id -> info JSON)
  KEYS[2] the pack's versions hash ("v<n>" -> the pack (gzipped JSON), "i<n>" -> that version's info JSON,
          "n" -> the last version number given)
  KEYS[3] the workspace's settings hash ("content": the content version)
  ARGV[1] pack id   ARGV[2] info JSON (without version and previous)   ARGV[3] the pack (JSON)
  ARGV[4] versions to keep (current included)
  Returns the stored info JSON.
]]
local keep = tonumber(ARGV[4])
local old = redis.call('HGET', KEYS[1], ARGV[1])
local chain = {}
if old then
  local ok, o = pcall(cjson.decode, old)
  if ok and type(o) == 'table' and tonumber(o.version) then
    chain[1] = tonumber(o.version)
    if type(o.previous) == 'table' then
      for _, v in ipairs(o.previous) do chain[#chain + 1] = tonumber(v) end
    end
  end
end
local n = redis.call('HINCRBY', KEYS[2], 'n', 1)
local previous = {}
for i, v in ipairs(chain) do
  if i < keep then previous[#previous + 1] = v else redis.call('HDEL', KEYS[2], 'v' .. v, 'i' .. v) end
end
local info = cjson.decode(ARGV[2])
info.version = n
info.previous = previous
local text = cjson.encode(info)
-- Each version keeps its own info (title, counts, file, uploader), which a rollback restores.
redis.call('HSET', KEYS[2], 'v' .. n, ARGV[3], 'i' .. n, ARGV[2])
redis.call('HSET', KEYS[1], ARGV[1], text)
redis.call('HINCRBY', KEYS[3], 'content', 1)
return text
