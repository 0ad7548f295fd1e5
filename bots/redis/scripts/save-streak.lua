--[[
  Writes a learner's streak (a break starting or ending) only if the learner
  is still at the version the caller read, and moves the version on.
  KEYS[1] learner hash   ARGV[1] expected version   ARGV[2] streak JSON
  Returns 1 when written, 0 when the learner changed meanwhile.
]]
if tonumber(redis.call('HGET', KEYS[1], 'version') or '0') ~= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'streak', ARGV[2])
redis.call('HINCRBY', KEYS[1], 'version', 1)
return 1
