#!/usr/bin/env bash
# Builds local stand-ins for the compose file's base images from Debian's
# packages, for a machine that reaches Debian's mirror but not Docker Hub:
#   drillbot-local/node:20-bookworm-slim   Debian bookworm minbase + this machine's node 20 and npm
#                                          in /usr/local, user node (uid 1000), as the official image;
#                                          with this machine's CA bundle, for npm behind a TLS proxy
#   drillbot-local/redis:7                 bookworm + Debian's redis-server (7.0), WORKDIR /data
#   drillbot-local/prometheus:bookworm     bookworm + Debian's prometheus, ENTRYPOINT /usr/bin/prometheus
# Needs root, debootstrap and a running Docker engine. Root filesystems are
# cached in $CACHE (default ~/.cache/drillbot-base-images); images that exist are kept.
# Prints the three image names as NODE_IMAGE=..., REDIS_IMAGE=..., PROMETHEUS_IMAGE=... lines.
set -euo pipefail

CACHE=${CACHE:-$HOME/.cache/drillbot-base-images}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
NODE_IMAGE=drillbot-local/node:20-bookworm-slim
REDIS_IMAGE=drillbot-local/redis:7
PROMETHEUS_IMAGE=drillbot-local/prometheus:bookworm

say() { echo "base-images: $*" >&2; }
have_image() { docker image inspect "$1" >/dev/null 2>&1; }

rootfs() { # name, extra packages (comma-separated or empty)
  local dir="$CACHE/$1"
  if [ ! -f "$dir/.complete" ]; then
    say "debootstrap $1${2:+ (+ $2)}"
    rm -rf "$dir"; mkdir -p "$CACHE"
    debootstrap --variant=minbase ${2:+--include="$2"} bookworm "$dir" "$MIRROR" >"$CACHE/$1.log" 2>&1 || {
      say "debootstrap failed, see $CACHE/$1.log"; exit 1; }
    rm -rf "$dir"/var/cache/apt/archives/*.deb "$dir"/var/lib/apt/lists/*
    touch "$dir/.complete"
  fi
  echo "$dir"
}

import() { # dir, image, docker import --change lines...
  local dir=$1 image=$2; shift 2
  local changes=()
  for c in "$@"; do changes+=(--change "$c"); done
  tar --exclude=./.complete -C "$dir" -c . | docker import "${changes[@]}" - "$image" >/dev/null
  say "built $image"
}

if ! have_image "$NODE_IMAGE"; then
  node_bin=$(command -v node)
  case "$(node --version)" in v20.*) ;; *) say "node 20 is needed on this machine (found $(node --version))"; exit 1 ;; esac
  npm_dir=$(npm root -g)/npm
  base=$(rootfs bookworm-minbase "")
  dir="$CACHE/node-20"
  rm -rf "$dir"; cp -a "$base" "$dir"
  install -D -m 0755 "$node_bin" "$dir/usr/local/bin/node"
  mkdir -p "$dir/usr/local/lib/node_modules"
  cp -a "$npm_dir" "$dir/usr/local/lib/node_modules/npm"
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$dir/usr/local/bin/npm"
  ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$dir/usr/local/bin/npx"
  # This machine's CA bundle and npm's use of it, so `npm ci` in the build trusts what this machine trusts.
  if [ -f /etc/ssl/certs/ca-certificates.crt ]; then
    install -D -m 0644 /etc/ssl/certs/ca-certificates.crt "$dir/etc/ssl/certs/ca-certificates.crt"
    install -D -m 0644 /dev/null "$dir/usr/local/etc/npmrc"
    echo "cafile=/etc/ssl/certs/ca-certificates.crt" >"$dir/usr/local/etc/npmrc"
  fi
  chroot "$dir" groupadd --gid 1000 node
  chroot "$dir" useradd --uid 1000 --gid node --shell /bin/bash --create-home node
  import "$dir" "$NODE_IMAGE" \
    "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
    'CMD ["node"]'
  rm -rf "$dir"
fi

if ! have_image "$REDIS_IMAGE"; then
  dir=$(rootfs bookworm-redis redis-server)
  mkdir -p "$dir/data"
  import "$dir" "$REDIS_IMAGE" "WORKDIR /data" "EXPOSE 6379" 'CMD ["redis-server"]'
fi

if ! have_image "$PROMETHEUS_IMAGE"; then
  dir=$(rootfs bookworm-prometheus prometheus)
  mkdir -p "$dir/prometheus" "$dir/etc/prometheus"
  import "$dir" "$PROMETHEUS_IMAGE" "WORKDIR /prometheus" "EXPOSE 9090" 'ENTRYPOINT ["/usr/bin/prometheus"]' \
    'CMD ["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus"]'
fi

echo "NODE_IMAGE=$NODE_IMAGE"
echo "REDIS_IMAGE=$REDIS_IMAGE"
echo "PROMETHEUS_IMAGE=$PROMETHEUS_IMAGE"
