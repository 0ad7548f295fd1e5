--[[
  Gives each question id a short code (its field in learners' cards hashes)
  once and for all, the same in every process: the registry hash maps id ->
  code, and field '#' counts the codes given. Codes start with an upper-case
  letter, which no question id holds (ids are lower-case), so a cards hash can
  tell a code from an id written by an older drillbot. The n-th code (from 0)
  is the letter n mod 26, then floor(n / 26) in upper-case base 36 unless 0:
  "A".."Z", "A1".."Z1", ... two characters up to 962 questions.
  KEYS[1] registry hash   ARGV[1..n] question ids
  Returns the codes aligned with ARGV.
]]
local letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'
local digits = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'
local function base36(n)
  local out = ''
  while n > 0 do
    local d = n % 36
    out = string.sub(digits, d + 1, d + 1) .. out
    n = math.floor(n / 36)
  end
  return out
end
local codes = {}
for i = 1, #ARGV do
  local code = redis.call('HGET', KEYS[1], ARGV[i])
  if not code then
    local n = redis.call('HINCRBY', KEYS[1], '#', 1) - 1
    code = string.sub(letters, n % 26 + 1, n % 26 + 1) .. base36(math.floor(n / 26))
    redis.call('HSET', KEYS[1], ARGV[i], code)
  end
  codes[i] = code
end
return codes
