#!/usr/bin/env bash
# Builds and runs docker-compose.yml for real (with the monitoring profile) and
# checks what an operator relies on:
#   - the image builds; redis, bot, worker-1 and worker-2 become healthy (HEALTHCHECK on /readyz);
#     PID 1 is node itself, as the non-root user
#   - /readyz names the right checks (bot: redis + slack; workers: redis); Redis runs with
#     AOF everysec and noeviction
#   - a signed Slack slash command sent to the bot's published port is answered
#   - Prometheus scrapes all three drillbot processes and has loaded the alert rules
#   - the documented Redis backup and restore (docs/OPERATIONS.md) bring back the data
#   - with Redis stopped the health check fails while the worker stays up; Redis back, ready again
#   - docker stop (SIGTERM) ends a worker with exit code 0 well within stop_grace_period,
#     and its log lines are JSON
# Everything runs in a copy of the working tree under a temporary folder, as compose
# project "drillbot-smoke"; `down -v` removes it afterwards (unless --keep).
#
# Usage: deploy/compose-smoke.sh [--start-dockerd] [--local-base-images] [--keep]
#   --start-dockerd      no engine running? start dockerd (root) for this run, with its data in
#                        $DOCKERD_DIR (default ~/.cache/drillbot-smoke-dockerd, kept for the image cache)
#   --local-base-images  do not try Docker Hub: build node/redis/prometheus base images from Debian's
#                        packages (deploy/smoke/base-images.sh). Also used when a pull fails.
#   --keep               leave the stack running and the copy in place
# Needs: docker (with `docker compose` or docker-compose), node 20, curl.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
start_dockerd=0 local_base=0 keep=0
for a in "$@"; do
  case "$a" in
    --start-dockerd) start_dockerd=1 ;;
    --local-base-images) local_base=1 ;;
    --keep) keep=1 ;;
    *) echo "unknown option $a (see the top of $0)" >&2; exit 2 ;;
  esac
done

say() { echo "smoke: $*" >&2; }
die() { say "FAILED: $*"; exit 1; }
started_at=$(date +%s)

work=$(mktemp -d "${TMPDIR:-/tmp}/drillbot-smoke.XXXXXX")
dockerd_pid=""
compose_up=0
cleanup() {
  local rc=$?
  if [ "$keep" = 0 ]; then
    if [ "$compose_up" = 1 ]; then
      (cd "$work/src" && compose down -v --remove-orphans >/dev/null 2>&1) || true
    fi
    rm -rf "$work"
    if [ -n "$dockerd_pid" ]; then kill "$dockerd_pid" 2>/dev/null && wait "$dockerd_pid" 2>/dev/null || true; fi
  else
    say "kept: the stack (project drillbot-smoke) and $work/src${dockerd_pid:+; dockerd pid $dockerd_pid, DOCKER_HOST=$DOCKER_HOST}"
  fi
  [ "$rc" = 0 ] && say "passed in $(( $(date +%s) - started_at )) s"
  exit "$rc"
}
trap cleanup EXIT

# --- the engine ---------------------------------------------------------------
if ! docker info >/dev/null 2>&1; then
  [ "$start_dockerd" = 1 ] || die "no Docker engine answers (docker info). Start one, or pass --start-dockerd (as root)."
  command -v dockerd >/dev/null || die "dockerd is not installed (Debian: apt-get install docker.io)"
  DOCKERD_DIR=${DOCKERD_DIR:-$HOME/.cache/drillbot-smoke-dockerd}
  mkdir -p "$DOCKERD_DIR" "$work/exec"
  export DOCKER_HOST="unix://$work/docker.sock"
  say "starting dockerd (data in $DOCKERD_DIR)"
  dockerd --data-root "$DOCKERD_DIR" --exec-root "$work/exec" --pidfile "$work/dockerd.pid" -H "$DOCKER_HOST" >"$work/dockerd.log" 2>&1 &
  dockerd_pid=$!
  for _ in $(seq 60); do docker info >/dev/null 2>&1 && break; sleep 0.5; done
  docker info >/dev/null 2>&1 || die "dockerd did not start: $(tail -5 "$work/dockerd.log")"
fi
if docker compose version >/dev/null 2>&1; then
  compose() { docker compose -p drillbot-smoke -f docker-compose.yml -f deploy/smoke/compose.smoke.yml --profile monitoring "$@"; }
elif command -v docker-compose >/dev/null; then
  compose() { docker-compose -p drillbot-smoke -f docker-compose.yml -f deploy/smoke/compose.smoke.yml --profile monitoring "$@"; }
else
  die "neither 'docker compose' nor docker-compose is installed"
fi
# The classic builder works with every engine and compose version; BuildKit is not needed.
export DOCKER_BUILDKIT=${DOCKER_BUILDKIT:-0} COMPOSE_DOCKER_CLI_BUILD=${COMPOSE_DOCKER_CLI_BUILD:-0}

# --- base images ----------------------------------------------------------------
if [ "$local_base" = 0 ]; then
  for image in node:20-bookworm-slim redis:7 prom/prometheus:v2.53.0; do
    docker image inspect "$image" >/dev/null 2>&1 && continue
    say "pulling $image"
    if ! timeout 120 docker pull -q "$image" >/dev/null 2>&1; then
      say "cannot pull $image: building local base images from Debian's packages instead"
      local_base=1
      break
    fi
  done
fi
if [ "$local_base" = 1 ]; then
  eval "$("$here/smoke/base-images.sh" | grep -E '^(NODE|REDIS|PROMETHEUS)_IMAGE=[A-Za-z0-9/:._-]+$' | sed 's/^/export /')"
  say "base images: $NODE_IMAGE, $REDIS_IMAGE, $PROMETHEUS_IMAGE"
fi

# --- a copy of the tree, and its .env ---------------------------------------------
mkdir -p "$work/src"
tar -C "$repo" --exclude=./node_modules --exclude=./.git --exclude=./.data --exclude=./.env -cf - . | tar -C "$work/src" -xf -
cd "$work/src"
free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
slack_port=$(free_port)
prom_port=$(free_port)
export SLACK_HTTP_PORT="127.0.0.1:$slack_port" PROMETHEUS_PORT="$prom_port"
export DRILLBOT_IMAGE=drillbot:smoke
export SMOKE_SLACK_BOT_TOKEN="xoxb-smoke-$(node -e 'console.log(require("crypto").randomBytes(8).toString("hex"))')"
signing_secret=$(node -e 'console.log(require("crypto").randomBytes(16).toString("hex"))')
cat >.env <<EOF
SLACK_BOT_TOKEN=$SMOKE_SLACK_BOT_TOKEN
SLACK_SIGNING_SECRET=$signing_secret
SLACK_API_URL=http://slack-api:8080/api/
LOG_LEVEL=info
EOF

# --- build and start --------------------------------------------------------------
say "building the image"
t0=$(date +%s)
compose build >"$work/build.log" 2>&1 || { tail -30 "$work/build.log" >&2; die "build failed"; }
say "built in $(( $(date +%s) - t0 )) s"
compose_up=1
t0=$(date +%s)
compose up -d >"$work/up.log" 2>&1 || { cat "$work/up.log" >&2; die "compose up failed"; }

cid() { compose ps -q "$1"; }
health() { docker inspect --format '{{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}' "$(cid "$1")"; }
wait_healthy() { # services...
  local deadline=$(( $(date +%s) + 180 ))
  for s in "$@"; do
    until [ "$(health "$s")" = healthy ]; do
      [ "$(date +%s)" -lt "$deadline" ] || { compose logs --tail 30 "$s" >&2; die "$s is not healthy after 180 s ($(health "$s"))"; }
      sleep 2
    done
  done
}
wait_healthy redis bot worker-1 worker-2
say "redis, bot, worker-1, worker-2 healthy $(( $(date +%s) - t0 )) s after up"

# --- checks -------------------------------------------------------------------------
readyz() { compose exec -T "$1" node deploy/healthcheck.mjs; }
expect_checks() { # service, expected JSON of checks
  local body
  body=$(readyz "$1") || die "$1: the health check failed: $body"
  node -e 'const b=JSON.parse(process.argv[1]); const want=JSON.parse(process.argv[2]);
    if (JSON.stringify(b.checks)!==JSON.stringify(want) || b.ready!==true) { console.error("got", process.argv[1]); process.exit(1) }' "$body" "$2" \
    || die "$1: /readyz is not $2"
  say "$1 /readyz: $body"
}
expect_checks bot '{"redis":true,"slack":true}'
pid1=$(compose exec -T worker-1 sh -c 'tr "\0" " " </proc/1/cmdline; echo "uid=$(id -u)"')
case "$pid1" in "node --import tsx bots/main.ts worker uid=1000"*) ;; *) die "worker-1: PID 1 and user are '$pid1', not node as uid 1000" ;; esac
say "worker-1: PID 1 is '${pid1% uid=*}', running as uid 1000"
expect_checks worker-1 '{"redis":true}'
expect_checks worker-2 '{"redis":true}'

for kv in "appendonly yes" "appendfsync everysec" "maxmemory-policy noeviction"; do
  set -- $kv
  got=$(compose exec -T redis redis-cli CONFIG GET "$1" | tail -1 | tr -d '\r')
  [ "$got" = "$2" ] || die "redis: $1 is '$got', not '$2'"
done
compose exec -T redis sh -c 'ls /data/appendonlydir/*.manifest' >/dev/null || die "redis: no AOF manifest in /data/appendonlydir"
say "redis: appendonly yes, appendfsync everysec, maxmemory-policy noeviction, AOF in /data/appendonlydir"

# A signed slash command through the published port, answered through the response_url.
node - "$slack_port" "$signing_secret" <<'EOF' || die "the bot did not accept a signed /study help"
const [port, secret] = process.argv.slice(2);
const { createHmac } = require("node:crypto");
const body = new URLSearchParams({ token: "x", team_id: "T0SMOKE", team_domain: "smoke", channel_id: "C1", channel_name: "study",
  user_id: "U1", user_name: "ann", command: "/study", text: "help", api_app_id: "A1", is_enterprise_install: "false",
  response_url: "http://slack-api:8080/response/smoke-1", trigger_id: "1.2.3" }).toString();
const ts = Math.floor(Date.now() / 1000);
const sig = "v0=" + createHmac("sha256", secret).update(`v0:${ts}:${body}`).digest("hex");
fetch(`http://127.0.0.1:${port}/slack/events`, { method: "POST", body,
  headers: { "content-type": "application/x-www-form-urlencoded", "x-slack-request-timestamp": String(ts), "x-slack-signature": sig } })
  .then(async (r) => { const t = await r.text(); if (r.status !== 200) { console.error(r.status, t); process.exit(1); } console.error(`smoke: /study help acknowledged (${t.length} bytes in the ack)`); });
EOF
answered=0
for _ in $(seq 20); do
  seen=$(compose exec -T slack-api node -e 'fetch("http://127.0.0.1:8080/seen").then(r=>r.text()).then(t=>console.log(t))')
  if node -e 'process.exit(JSON.parse(process.argv[1]).some(s => s.response === "smoke-1" && /quiz/i.test(s.text)) ? 0 : 1)' "$seen"; then answered=1; break; fi
  sleep 0.5
done
[ "$answered" = 1 ] || die "no answer to /study help reached the response_url; the stand-in saw: $seen"
say "bot: /study help answered through the response_url"

# Prometheus: three drillbot targets up, and the alert rules loaded.
prom() { curl -fsS "http://127.0.0.1:$prom_port$1"; }
for _ in $(seq 45); do
  up=$(prom '/api/v1/query?query=sum(up%7Bjob%3D%22drillbot%22%7D)' 2>/dev/null | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{try{console.log(JSON.parse(s).data.result[0]?.value[1]??"0")}catch{console.log("0")}})') || up=0
  [ "$up" = 3 ] && break
  sleep 1
done
[ "$up" = 3 ] || die "prometheus: $up of 3 drillbot targets up; targets: $(prom /api/v1/targets || true)"
rules=$(prom /api/v1/rules | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).data.groups.flatMap(g=>g.rules).filter(r=>r.type==="alerting").length))')
[ "$rules" -ge 1 ] || die "prometheus: no alerting rules loaded"
metric=$(prom '/api/v1/query?query=count(drillbot_redis_up%3D%3D1)' | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).data.result[0]?.value[1]??"0"))')
[ "$metric" = 3 ] || die "prometheus: drillbot_redis_up==1 on $metric of 3 processes"
say "prometheus: 3 of 3 drillbot targets up, drillbot_redis_up 1 on each, $rules alerting rules loaded"

# Backup and restore exactly as docs/OPERATIONS.md says.
compose exec -T redis redis-cli SET drillbot:smoke:backup before-backup >/dev/null
compose exec -T redis sh -s < deploy/redis-aof-backup.sh > "$work/redis-aof.tgz" 2>"$work/backup.err" || die "backup failed: $(cat "$work/backup.err")"
compose exec -T redis redis-cli SET drillbot:smoke:backup after-backup >/dev/null
compose stop bot worker-1 worker-2 redis >/dev/null 2>&1
compose run --rm --no-deps -T --entrypoint sh redis -c 'rm -rf /data/appendonlydir && tar -C /data -xzf -' < "$work/redis-aof.tgz" >/dev/null 2>&1 \
  || die "restore failed"
compose up -d >/dev/null 2>&1
wait_healthy redis bot worker-1 worker-2
got=$(compose exec -T redis redis-cli GET drillbot:smoke:backup | tr -d '\r')
[ "$got" = before-backup ] || die "after the restore drillbot:smoke:backup is '$got', not 'before-backup'"
say "backup ($(wc -c <"$work/redis-aof.tgz") bytes) and restore as documented: the value at the backup is back, all services healthy again"

# Redis outage: not ready, still alive; back to ready when Redis returns.
compose stop -t 10 redis >/dev/null 2>&1
sleep 2
if body=$(readyz worker-1 2>&1); then die "worker-1 says ready with Redis stopped: $body"; fi
say "redis stopped: worker-1's health check fails ($body)"
[ "$(docker inspect --format '{{.State.Running}}' "$(cid worker-1)")" = true ] || die "worker-1 exited when Redis stopped"
compose exec -T worker-1 node -e 'fetch("http://127.0.0.1:9464/healthz").then(r=>process.exit(r.status===200?0:1),()=>process.exit(1))' \
  || die "worker-1's /healthz does not answer 200 while Redis is down"
compose start redis >/dev/null 2>&1
for _ in $(seq 60); do readyz worker-1 >/dev/null 2>&1 && break; sleep 1; done
readyz worker-1 >/dev/null 2>&1 || die "worker-1 not ready 60 s after Redis came back"
say "redis back: worker-1 ready again"

# SIGTERM: a clean, prompt exit, and JSON log lines.
t1=$(date +%s%N)
compose stop worker-2 >/dev/null 2>&1
took_ms=$(( ($(date +%s%N) - t1) / 1000000 ))
code=$(docker inspect --format '{{.State.ExitCode}}' "$(cid worker-2)")
[ "$code" = 0 ] || die "worker-2 exited with $code after SIGTERM; logs: $(compose logs --tail 20 worker-2)"
[ "$took_ms" -lt 35000 ] || die "worker-2 took $took_ms ms to stop (stop_grace_period is 35 s)"
docker logs "$(cid worker-2)" >"$work/worker-2.log" 2>&1
node -e 'const lines=require("fs").readFileSync(process.argv[1],"utf8").split("\n").filter(Boolean);
  const bad=lines.filter(l=>{try{return typeof JSON.parse(l)!=="object"}catch{return true}});
  if(!lines.length||bad.length){console.error(`${bad.length} of ${lines.length} log lines are not JSON, e.g. ${bad[0]}`);process.exit(1)}' "$work/worker-2.log" \
  || die "worker-2's logs are not JSON lines"
say "worker-2: SIGTERM -> exit 0 in $took_ms ms; $(wc -l <"$work/worker-2.log") log lines, all JSON"
