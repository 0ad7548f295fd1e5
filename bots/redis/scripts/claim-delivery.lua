--[[
  Claims a scheduled delivery. The first attempt of a job claims it by
  creating its sent-marker; a later attempt of the same job (a retry, or
  recovery after its worker died) may go on even though the marker exists;
  any other job with the same id (re-added after the first completed) finds
  the marker and stops. One key, so it runs on any node of a cluster; what the
  delivery reads (subscription, cards) is read beside it, in the same round trip.
  KEYS[1] sent-marker
  ARGV[1] marker TTL s   ARGV[2] '1' when this is a retry of the same job
  Returns 1 when this attempt may deliver, 0 when another job already did.
]]
if redis.call('SET', KEYS[1], 'claimed', 'EX', ARGV[1], 'NX') then return 1 end
if ARGV[2] == '1' then return 1 end
return 0
