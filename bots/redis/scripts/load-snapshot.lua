--[[
  Reads what an answer needs, in one round trip.
  KEYS[1] learner hash        KEYS[2] session string   KEYS[3] cards hash
  KEYS[4] slot record string  KEYS[5] event record string (both as an older drillbot wrote them; still read)
  KEYS[6] parked session string (a quiz set aside while a drill is open)
  KEYS[7] the workspace's settings hash (FSRS weights, retention, quiet hours, version)
  KEYS[8] the learner's answer records hash (keys.ts answers(); record-answer.lua writes it)
  ARGV[1] the slot's field in it ('' for none)   ARGV[2] the event's field ('' for none)
  ARGV[3..2n+2] extra questions whose cards to return (besides the sessions'), as pairs: question id, its field
  in the cards hash (its code, question-codes.ts). A session's JSON names its questions' fields in "f"; a
  session or card written by an older drillbot has none, and its cards are under the question ids.
  Returns { learner HGETALL (flat), session JSON | false, question ids (array),
            cards (srs-codec) | false aligned with the ids, slot record | false, event record | false,
            parked session JSON | false, workspace settings HGETALL (flat) }
]]
local learner = redis.call('HGETALL', KEYS[1])
local session = redis.call('GET', KEYS[2])
local parked = redis.call('GET', KEYS[6])
local ids, fields = {}, {}
for _, json in ipairs({ session, parked }) do
  if json then
    local ok, decoded = pcall(cjson.decode, json)
    if ok and type(decoded) == 'table' and type(decoded.questionIds) == 'table' then
      local f = type(decoded.f) == 'table' and decoded.f or {}
      for i, id in ipairs(decoded.questionIds) do
        ids[#ids + 1] = id
        fields[#fields + 1] = type(f[i]) == 'string' and f[i] or id
      end
    end
  end
end
for i = 3, #ARGV - 1, 2 do
  ids[#ids + 1] = ARGV[i]
  fields[#fields + 1] = ARGV[i + 1]
end
local cards = {}
if #ids > 0 then
  cards = redis.call('HMGET', KEYS[3], unpack(fields))
  -- A card not yet rewritten under its code is still under the question id.
  for i = 1, #ids do
    if not cards[i] and fields[i] ~= ids[i] then cards[i] = redis.call('HGET', KEYS[3], ids[i]) end
  end
end
--! include answer-records.lua
local slot = redis.call('GET', KEYS[4]) or answerRecord(KEYS[8], ARGV[1])
local event = redis.call('GET', KEYS[5]) or answerRecord(KEYS[8], ARGV[2])
return { learner, session, ids, cards, slot, event, parked, redis.call('HGETALL', KEYS[7]) }
