-- Included by record-answer.lua and load-snapshot.lua (lua-scripts.ts pastes it in).
-- A learner's answer record from their records hash `key`: stored after its 6-character
-- expiry (seconds since 2020, base 36); an event's value names its slot's field.
-- Expired but not yet dropped (record-answer.lua drops them every 10 minutes) counts as gone.
local function answerRecord(key, field)
  if field == '' then return false end
  local v = redis.call('HGET', key, field)
  if not v then return false end
  if (tonumber(string.sub(v, 1, 6), 36) or 0) <= tonumber(redis.call('TIME')[1]) - 1577836800 then return false end
  v = string.sub(v, 7)
  if string.sub(field, 1, 1) == 'e' then return answerRecord(key, v) end
  return v
end
