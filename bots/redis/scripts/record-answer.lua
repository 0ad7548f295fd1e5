--[[
  Records one graded answer atomically: card, streak, points,
  counters, active day, session, leaderboards and the idempotency records.
  Refuses (changing nothing) when the event or the slot was already recorded,
  or when the learner changed since the caller's snapshot (version check,
  made before the slot check: a stale caller may have picked the wrong slot).
  KEYS[1] learner hash   KEYS[2] cards hash    KEYS[3] the old due index (deleted: each card holds its due time)   KEYS[4] days hash
  KEYS[5] session        KEYS[6] slot record   KEYS[7] event record (both strings as an older drillbot wrote them; read only)
  KEYS[8] all-time board
  KEYS[9] weekly board   KEYS[10] names hash   KEYS[11] tally hash of a shared question (unused otherwise)
  KEYS[12] the workspace's week figures (hash)   KEYS[13] the workspace's active learners this week (HyperLogLog)
  KEYS[14] parked session (a quiz set aside while a drill is open)
  KEYS[15] the workspace's settings hash   KEYS[16] the workspace's review log (stream)
  KEYS[17] the workspace's all-time figures per lesson and concept (hash)
  KEYS[18] the learner's answer records (hash: "s<slot>" -> expiry .. record, "e<event>" -> expiry .. slot field,
           "~" -> when expired records are next dropped; expiry and "~" are seconds since 2020 in 6 base-36 digits)
  ARGV[1] expected version   ARGV[2] question id     ARGV[3] card (srs-codec) ARGV[4] due ms (unused: the card holds it)
  ARGV[5] streak JSON        ARGV[6] active date     ARGV[7] points       ARGV[8] learner id
  ARGV[9] correct (1/0)      ARGV[10] session mode: keep | set | del      ARGV[11] session JSON
  ARGV[12] session TTL s     ARGV[13] answer record (answer-record-codec) ARGV[14] slot record TTL s
  ARGV[15] weekly board TTL s ARGV[16] display name ARGV[17] tally entry "correct|ms|name" or ''
  ARGV[18] tally TTL s       ARGV[19] event record TTL s (platform redeliveries come within minutes)
  ARGV[20] lesson (or practice set) id of the question, for the team view
  ARGV[21] parked mode: keep | set | del      ARGV[22] parked session JSON
  ARGV[23] id of the open session the caller saw ('-' for none)
  ARGV[24] id of the parked session the caller saw ('-' for none)
  ARGV[25] workspace settings version the caller saw   ARGV[26] FSRS rating (1 Again, 3 Good)
  ARGV[27] the question's concept ids, comma-separated  ARGV[28] review log length cap
  ARGV[29] review log age cap: entries older than this id (ms) are trimmed
  ARGV[30] the name shown on boards and tallies ("anonymous" for a private learner)
  ARGV[31] answer time (ms)
  ARGV[32] the card's field in the cards hash (the question's code; a card under the question id is moved)
  ARGV[33] the slot's field in KEYS[18]      ARGV[34] the event's field in KEYS[18]
  Returns { 'duplicate', record } | { 'already-answered', record } | { 'stale', version } | { 'recorded', version }
]]
--! include answer-records.lua
local seen = redis.call('GET', KEYS[7]) or answerRecord(KEYS[18], ARGV[34])
if seen then return { 'duplicate', seen } end
local version = tonumber(redis.call('HGET', KEYS[1], 'version') or '0')
if version ~= tonumber(ARGV[1]) then return { 'stale', tostring(version) } end
-- Settings changed (new FSRS weights, retention): the card must be scheduled again with them.
if tonumber(redis.call('HGET', KEYS[15], 'version') or '0') ~= tonumber(ARGV[25]) then return { 'stale', tostring(version) } end
-- Sessions also end by expiring, which bumps no version: the caller must have seen the sessions as they are.
local function sessionId(key)
  local json = redis.call('GET', key)
  if not json then return '-' end
  local ok, decoded = pcall(cjson.decode, json)
  if ok and type(decoded) == 'table' and decoded.id ~= nil then return tostring(decoded.id) end
  return '?'
end
if sessionId(KEYS[5]) ~= ARGV[23] or sessionId(KEYS[14]) ~= ARGV[24] then return { 'stale', tostring(version) } end
local slot = redis.call('GET', KEYS[6]) or answerRecord(KEYS[18], ARGV[33])
if slot then return { 'already-answered', slot } end

local points = tonumber(ARGV[7])
redis.call('HSET', KEYS[1], 'version', version + 1, 'streak', ARGV[5], 'name', ARGV[16])
redis.call('HINCRBY', KEYS[1], 'points', points)
redis.call('HINCRBY', KEYS[1], 'answered', 1)
if ARGV[9] == '1' then redis.call('HINCRBY', KEYS[1], 'correct', 1) end
redis.call('HSET', KEYS[2], ARGV[32], ARGV[3])
if ARGV[32] ~= ARGV[2] then redis.call('HDEL', KEYS[2], ARGV[2]) end
-- Layout-2 databases kept a due index (zset) beside the cards; it repeated each card's due time. Drop it.
redis.call('DEL', KEYS[3])
redis.call('HINCRBY', KEYS[4], ARGV[6], 1)
if ARGV[10] == 'set' then
  redis.call('SET', KEYS[5], ARGV[11], 'EX', ARGV[12])
elseif ARGV[10] == 'del' then
  redis.call('DEL', KEYS[5])
end
if ARGV[21] == 'set' then
  redis.call('SET', KEYS[14], ARGV[22], 'EX', ARGV[12])
elseif ARGV[21] == 'del' then
  redis.call('DEL', KEYS[14])
end
-- The records, in one small hash per learner instead of two keys per answer (a key costs more than its record).
local now = tonumber(redis.call('TIME')[1]) - 1577836800
local function stamp(seconds)
  local n, out = now + seconds, ''
  while n > 0 do
    local d = n % 36
    out = string.sub('0123456789abcdefghijklmnopqrstuvwxyz', d + 1, d + 1) .. out
    n = math.floor(n / 36)
  end
  return string.rep('0', 6 - #out) .. out
end
local slotTtl, eventTtl = tonumber(ARGV[14]), tonumber(ARGV[19])
redis.call('HSET', KEYS[18], ARGV[33], stamp(slotTtl) .. ARGV[13], ARGV[34], stamp(eventTtl) .. ARGV[33])
local longest = math.max(slotTtl, eventTtl)
if redis.call('TTL', KEYS[18]) < longest then redis.call('EXPIRE', KEYS[18], longest) end
-- Expired records are dropped at most every 10 minutes (until then they still count, a little longer than asked).
local due = redis.call('HGET', KEYS[18], '~')
if not due or tonumber(due, 36) <= now then
  local all = redis.call('HGETALL', KEYS[18])
  for i = 1, #all, 2 do
    local expires = tonumber(string.sub(all[i + 1], 1, 6), 36)
    if all[i] ~= '~' and (expires == nil or expires <= now) then redis.call('HDEL', KEYS[18], all[i]) end
  end
  redis.call('HSET', KEYS[18], '~', stamp(600))
end
redis.call('ZINCRBY', KEYS[8], points, ARGV[8])
redis.call('ZINCRBY', KEYS[9], points, ARGV[8])
redis.call('EXPIRE', KEYS[9], ARGV[15])
redis.call('HSET', KEYS[10], ARGV[8], ARGV[30])
-- The team's week: answers and right answers per lesson (totals are their sums). Each
-- expiry is set once, when its key first appears, to keep the script short.
if redis.call('HINCRBY', KEYS[12], 'a:' .. ARGV[20], 1) == 1 then redis.call('EXPIRE', KEYS[12], ARGV[15]) end
if ARGV[9] == '1' then redis.call('HINCRBY', KEYS[12], 'c:' .. ARGV[20], 1) end
if redis.call('PFADD', KEYS[13], ARGV[8]) == 1 then redis.call('EXPIRE', KEYS[13], ARGV[15]) end
-- All time, per lesson and per concept (for exports).
redis.call('HINCRBY', KEYS[17], 'a:' .. ARGV[20], 1)
if ARGV[9] == '1' then redis.call('HINCRBY', KEYS[17], 'c:' .. ARGV[20], 1) end
for concept in string.gmatch(ARGV[27], '[^,]+') do
  redis.call('HINCRBY', KEYS[17], 'a:k:' .. concept, 1)
  if ARGV[9] == '1' then redis.call('HINCRBY', KEYS[17], 'c:k:' .. concept, 1) end
end
-- The review log the workspace's FSRS weights are fitted on, capped by length and by age.
redis.call('XADD', KEYS[16], 'MAXLEN', '~', ARGV[28], '*', 'l', ARGV[8], 'q', ARGV[2], 'r', ARGV[26], 'd', ARGV[6], 't', ARGV[31])
redis.call('XTRIM', KEYS[16], 'MINID', '~', ARGV[29])
if ARGV[17] ~= '' then
  redis.call('HSETNX', KEYS[11], ARGV[8], ARGV[17])
  redis.call('EXPIRE', KEYS[11], ARGV[18])
end
return { 'recorded', tostring(version + 1) }
