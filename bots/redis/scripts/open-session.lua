--[[
  Opens a scheduled session (a daily drill) and bumps the learner's version (so
  cached snapshots in other processes are refused), atomically. An unfinished
  quiz or review that was open is parked, not lost: it stays answerable and
  comes back when the drill is done. (A drill replacing an older drill drops
  the older one; a parked quiz stays parked.)
  KEYS[1] session string   KEYS[2] learner hash   KEYS[3] parked session string
  ARGV[1] session JSON     ARGV[2] TTL seconds    ARGV[3] the new session's id
]]
local current = redis.call('GET', KEYS[1])
if current then
  local ok, decoded = pcall(cjson.decode, current)
  if ok and type(decoded) == 'table' and decoded.id ~= ARGV[3] and decoded.kind ~= 'drill'
    and type(decoded.questionIds) == 'table' and tonumber(decoded.index or 0) < #decoded.questionIds then
    redis.call('SET', KEYS[3], current, 'EX', ARGV[2])
  end
end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
return redis.call('HINCRBY', KEYS[2], 'version', 1)
