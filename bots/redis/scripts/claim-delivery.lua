--[[
  Claims a scheduled delivery and reads what a personal drill or reminder
  needs, in one call. The first attempt of a job claims it by creating its
  sent-marker; a later attempt of the same job (a retry, or recovery after its
  worker died) may go on even though the marker exists; any other job with the
  same id (re-added after the first completed) finds the marker and stops.
  KEYS[1] sent-marker   KEYS[2] personal subscriptions hash ('' to skip)   KEYS[3] the learner's due zset ('' to skip)
  ARGV[1] marker TTL s  ARGV[2] subscription id   ARGV[3] '1' when this is a retry of the same job
  Returns { claimed 1/0, subscription JSON | false, { id, due, id, due, ... } }
]]
local claimed = redis.call('SET', KEYS[1], 'claimed', 'EX', ARGV[1], 'NX')
if not claimed and ARGV[3] == '1' then claimed = true end
if not claimed then return { 0, false, {} } end
local sub = false
if KEYS[2] ~= '' then sub = redis.call('HGET', KEYS[2], ARGV[2]) end
local cards = {}
if KEYS[3] ~= '' then cards = redis.call('ZRANGE', KEYS[3], 0, -1, 'WITHSCORES') end
return { 1, sub, cards }
