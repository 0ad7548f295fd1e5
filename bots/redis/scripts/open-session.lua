--[[
  Opens a quiz session and bumps the learner's version (so cached snapshots in
  other processes are refused), atomically.
  KEYS[1] session string   KEYS[2] learner hash
  ARGV[1] session JSON     ARGV[2] TTL seconds
]]
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
return redis.call('HINCRBY', KEYS[2], 'version', 1)
