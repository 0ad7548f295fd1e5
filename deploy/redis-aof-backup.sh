#!/bin/sh
# Backs up a running Redis 7's append-only file: writes a gzipped tar of its
# AOF folder (appendonlydir/: base file, incremental files and the manifest) to stdout.
# Runs where redis-cli and Redis's data folder are, e.g. in the compose file's redis container:
#   docker compose exec -T redis sh -s < deploy/redis-aof-backup.sh > redis-aof-$(date +%F).tgz
# or on the Redis host:  REDIS_CLI="redis-cli -p 6379" sh deploy/redis-aof-backup.sh > backup.tgz
# Steps (Redis's documented way to copy an AOF safely):
#   1. BGREWRITEAOF, and wait until it is done: a compact base file, a short incremental one
#   2. turn automatic rewrites off, so the files cannot change names while they are copied
#   3. check no rewrite is running, copy the folder, then turn automatic rewrites back on
# Messages go to stderr; a non-zero exit means no usable backup was written.
set -eu

cli=${REDIS_CLI:-redis-cli}
say() { echo "redis-aof-backup: $*" >&2; }
field() { $cli INFO persistence | tr -d '\r' | sed -n "s/^$1://p"; }
config() { $cli CONFIG GET "$1" | tr -d '\r' | sed -n 2p; }

[ "$(config appendonly)" = yes ] || { say "appendonly is not on in this Redis: there is no AOF to back up"; exit 1; }
dir=$(config dir)
aofdir=$(config appenddirname)
[ -f "$dir/$aofdir/$(config appendfilename).manifest" ] || { say "no AOF manifest in $dir/$aofdir (is this Redis 7 or later, and is its data folder here?)"; exit 1; }

wait_rewrite() {
  n=0
  while [ "$(field aof_rewrite_in_progress)" != 0 ] || [ "$(field aof_rewrite_scheduled)" != 0 ]; do
    n=$((n + 1))
    [ "$n" -le 600 ] || { say "an AOF rewrite is still running after 10 minutes"; exit 1; }
    sleep 1
  done
}

wait_rewrite
$cli BGREWRITEAOF >/dev/null
wait_rewrite
[ "$(field aof_last_bgrewrite_status)" = ok ] || { say "the AOF rewrite failed (aof_last_bgrewrite_status: $(field aof_last_bgrewrite_status)); see Redis's log"; exit 1; }

percentage=$(config auto-aof-rewrite-percentage)
$cli CONFIG SET auto-aof-rewrite-percentage 0 >/dev/null
trap '$cli CONFIG SET auto-aof-rewrite-percentage "$percentage" >/dev/null' EXIT
wait_rewrite
rewrites=$(field aof_rewrites)
tar -C "$dir" -czf - "$aofdir"
[ "$(field aof_rewrites)" = "$rewrites" ] || { say "an AOF rewrite ran during the copy: run the backup again"; exit 1; }
say "backed up $dir/$aofdir"
