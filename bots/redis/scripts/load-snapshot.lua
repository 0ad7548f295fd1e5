--[[
  Reads what an answer needs, in one round trip.
  KEYS[1] learner hash        KEYS[2] session string   KEYS[3] cards hash
  KEYS[4] slot record string  KEYS[5] event record string
  KEYS[6] parked session string (a quiz set aside while a drill is open)
  KEYS[7] the workspace's settings hash (FSRS weights, retention, quiet hours, version)
  ARGV[1..n] extra question ids whose cards to return (besides the sessions')
  Returns { learner HGETALL (flat), session JSON | false, question ids (array),
            cards (srs-codec) | false aligned with the ids, slot record | false, event record | false,
            parked session JSON | false, workspace settings HGETALL (flat) }
]]
local learner = redis.call('HGETALL', KEYS[1])
local session = redis.call('GET', KEYS[2])
local parked = redis.call('GET', KEYS[6])
local ids = {}
for _, json in ipairs({ session, parked }) do
  if json then
    local ok, decoded = pcall(cjson.decode, json)
    if ok and type(decoded) == 'table' and type(decoded.questionIds) == 'table' then
      for _, id in ipairs(decoded.questionIds) do ids[#ids + 1] = id end
    end
  end
end
for i = 1, #ARGV do ids[#ids + 1] = ARGV[i] end
local cards = {}
if #ids > 0 then cards = redis.call('HMGET', KEYS[3], unpack(ids)) end
return { learner, session, ids, cards, redis.call('GET', KEYS[4]), redis.call('GET', KEYS[5]), parked, redis.call('HGETALL', KEYS[7]) }
