#!/usr/bin/env bash
# A Docker engine for `pnpm test:compose` on a Debian 12 machine that reaches no container registry
# (docs/docker.md). Idempotent: every step is skipped when its result is already there (a second run takes a
# second or two).
#
#   1. docker.io and debootstrap from Debian, when missing;
#   2. dockerd --storage-driver=vfs --iptables=false --bridge=none, when no engine answers, with its data in
#      $BATON_DOCKER_STATE/docker, its log in dockerd.log and its pid in dockerd.pid there
#      (tools/docker-engine/stop.sh stops it). An engine that already answers (Docker Desktop, a system
#      service) is used as it is;
#   3. Compose v2 and buildx as CLI plugins (~/.docker/cli-plugins) from Debian 13's docker-compose and
#      docker-buildx packages (downloaded with a trixie package list of its own, not installed), when
#      `docker compose version` is not 2.x;
#   4. local stand-ins for the public base images the Dockerfile and docker-compose.yml name, made from a
#      debootstrap minbase of bookworm, when the engine has no image of that name: node:20-bookworm-slim (this
#      machine's node binary and npm, a `node` user with uid 1000) and redis:7 (Debian's redis-server).
#
# Nothing is fetched from anywhere but the Debian mirror apt uses (the image builds then use the npm registry).
# Steps 1-4 need root when they have something to do.
#
# Exit codes: 0 ready; 3 no engine answers and none can be started here (not root, no apt-get, or dockerd will
# not start): a caller may skip; anything else is a failure.
#
# Environment: BATON_DOCKER_STATE (default /var/lib/baton-docker-engine), BATON_DOCKER_MAX_GB (default 20: past
# that size the engine starts on an empty data root), BATON_NODE_IMAGE (default node:20-bookworm-slim),
# BATON_REDIS_IMAGE (default redis:7).
set -euo pipefail

STATE="${BATON_DOCKER_STATE:-/var/lib/baton-docker-engine}"
# The engine this script starts keeps its images, build cache and volumes here, apart from /var/lib/docker, so
# that the size cap below never touches another engine's data.
DATA_ROOT="$STATE/docker"
# vfs stores every layer as a full copy and each build of changed sources leaves its old layers in the build
# cache: past this size (GB) our engine starts on an empty data root (the next build is cold) and the old one is
# deleted in the background.
MAX_GB="${BATON_DOCKER_MAX_GB:-20}"
NODE_IMAGE="${BATON_NODE_IMAGE:-node:20-bookworm-slim}"
REDIS_IMAGE="${BATON_REDIS_IMAGE:-redis:7}"
PLUGINS="${DOCKER_CONFIG:-$HOME/.docker}/cli-plugins"
export DEBIAN_FRONTEND=noninteractive

say() { printf 'docker-engine: %s\n' "$*" >&2; }
cannot() { say "cannot run a Docker engine here: $*"; exit 3; }
need_root() { [ "$(id -u)" = 0 ] || { say "root is required to $*"; exit 1; }; }

engine_up() { docker info >/dev/null 2>&1; }
# An engine started by this script (its pidfile names a live dockerd).
engine_ours() { [ -s "$STATE/dockerd.pid" ] && kill -0 "$(cat "$STATE/dockerd.pid")" 2>/dev/null; }

apt_updated=""
apt_install() {
  if [ -z "$apt_updated" ]; then
    apt-get update -qq
    apt_updated=1
  fi
  timeout 900 apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# The Debian mirror apt already uses for bookworm (e.g. http://deb.debian.org/debian/).
debian_mirror() {
  local uri
  uri="$(apt-get indextargets --format '$(REPO_URI) $(RELEASE)' 2>/dev/null | awk '$2 == "bookworm" { print $1; exit }')"
  printf '%s\n' "${uri:-http://deb.debian.org/debian/}"
}

# Size of our engine's data root in GB (0 when it does not exist yet).
data_root_gb() { { du -sx --block-size=1G "$DATA_ROOT" 2>/dev/null || echo 0; } | cut -f1 | head -n 1; }

start_dockerd() {
  local used
  used="$(data_root_gb)"
  if [ "${used:-0}" -gt "$MAX_GB" ]; then
    say "engine: $DATA_ROOT holds ${used} GB (over BATON_DOCKER_MAX_GB=$MAX_GB): starting afresh"
    mv "$DATA_ROOT" "$STATE/trash.$(date +%s)"
  fi
  # Deleting a vfs data root takes minutes (a full copy of every layer): it goes on in the background, at the
  # lowest priority, detached and without the test run's marker (the engine starts meanwhile).
  if compgen -G "$STATE/trash.*" >/dev/null; then
    env -u BATON_TEST_RUN setsid nice -n 19 ionice -c 3 rm -rf "$STATE"/trash.* >/dev/null 2>&1 </dev/null &
  fi
  say "engine: starting dockerd --storage-driver=vfs --iptables=false --bridge=none (log: $STATE/dockerd.log)"
  # Not a test process: drop the test run's marker so vitest's leak check never takes the engine for a leak.
  env -u BATON_TEST_RUN setsid dockerd --storage-driver=vfs --iptables=false --bridge=none \
    --data-root "$DATA_ROOT" --pidfile "$STATE/dockerd.pid" >>"$STATE/dockerd.log" 2>&1 </dev/null &
  for _ in $(seq 1 60); do
    engine_up && break
    sleep 0.5
  done
  if ! engine_up; then
    tail -n 20 "$STATE/dockerd.log" >&2 || true
    cannot "dockerd did not answer within 30 s (log above)"
  fi
  say "engine: up ($(docker version --format '{{.Server.Version}}' 2>/dev/null), data in $DATA_ROOT)"
}

# ---- 1 and 2. packages and the engine ------------------------------------------------------------------------
if engine_up && ! engine_ours; then
  # Docker Desktop, a system service, or any engine this script did not start: used as it is.
  say "engine: already running ($(docker version --format '{{.Server.Version}}' 2>/dev/null)), not started here"
else
  [ "$(id -u)" = 0 ] || cannot "no engine answers, and starting one needs root (apt-get, dockerd)"
  command -v apt-get >/dev/null 2>&1 || cannot "no engine answers, and no apt-get to install one (Debian only)"
  mkdir -p "$STATE"
  missing=()
  command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
  command -v docker >/dev/null 2>&1 || missing+=(docker.io)
  command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
  if [ "${#missing[@]}" -gt 0 ]; then
    say "installing ${missing[*]} from Debian"
    # docker.io's maintainer scripts cannot start a service here (no systemd): that is expected.
    apt_install $(printf '%s\n' "${missing[@]}" | sort -u) || cannot "apt-get install ${missing[*]} failed"
  fi
  if engine_ours; then
    used="$(data_root_gb)"
    if [ "${used:-0}" -gt "$MAX_GB" ]; then
      bash "$(dirname "$0")/stop.sh"
      start_dockerd
    else
      say "engine: running (started by this script, pid $(cat "$STATE/dockerd.pid"), ${used:-0} GB in $DATA_ROOT)"
    fi
  else
    start_dockerd
  fi
fi

# ---- 3. Compose v2 and buildx --------------------------------------------------------------------------------
compose_v2() { docker compose version --short 2>/dev/null | grep -Eq '^v?2\.'; }
if compose_v2 && docker buildx version >/dev/null 2>&1; then
  say "compose: $(docker compose version --short)"
else
  need_root "fetch Compose v2 (apt-get download)"
  say "compose: fetching Debian 13's docker-compose and docker-buildx"
  mkdir -p "$STATE"
  apt_dir="$STATE/trixie-apt"
  mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$apt_dir/debs"
  printf 'deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] %s trixie main\n' "$(debian_mirror)" \
    >"$apt_dir/sources.list"
  # A package list of its own: the machine's apt sources stay as they are.
  apt_opts=(-o "Dir::Etc::SourceList=$apt_dir/sources.list" -o "Dir::Etc::SourceParts=/nonexistent"
    -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache" -o APT::Sandbox::User=root)
  apt-get "${apt_opts[@]}" update -qq
  (cd "$apt_dir/debs" && rm -f ./*.deb && apt-get "${apt_opts[@]}" download docker-compose docker-buildx >/dev/null)
  mkdir -p "$PLUGINS"
  for deb in "$apt_dir"/debs/*.deb; do
    unpacked="$(mktemp -d)"
    dpkg-deb -x "$deb" "$unpacked"
    find "$unpacked" -path '*/cli-plugins/*' -type f -exec install -m 0755 {} "$PLUGINS/" \;
    rm -rf "$unpacked"
  done
  compose_v2 || { say "compose: no Compose v2 after unpacking into $PLUGINS"; exit 1; }
  say "compose: $(docker compose version --short), buildx $(docker buildx version | awk '{print $2}')"
fi

# ---- 4. base images ------------------------------------------------------------------------------------------
# The recipe version of the stand-ins below: an image of ours with another version is made again; an image that
# is not ours (a real one, pulled on a host with a registry) is never touched.
STANDIN_VERSION=3
has_image() {
  local label
  label="$(docker image inspect --format '{{ index .Config.Labels "org.baton.standin" }}' "$1" 2>/dev/null)" || return 1
  [ -z "$label" ] || [ "$label" = "$STANDIN_VERSION" ] || { say "base: $1 is an older stand-in: remaking it"; return 1; }
}

# A bookworm minbase root file system, made once and kept as a tarball; each image unpacks a copy.
minbase_tar="$STATE/bookworm-minbase.tar"
new_rootfs() {
  if [ ! -s "$minbase_tar" ]; then
    local dir
    need_root "make the base images (debootstrap)"
    command -v debootstrap >/dev/null 2>&1 || apt_install debootstrap
    mkdir -p "$STATE"
    dir="$(mktemp -d "$STATE/debootstrap.XXXXXX")"
    say "base: debootstrap --variant=minbase bookworm (about a minute)"
    debootstrap --variant=minbase bookworm "$dir" "$(debian_mirror)" >"$STATE/debootstrap.log" 2>&1 ||
      { tail -n 20 "$STATE/debootstrap.log" >&2; rm -rf "$dir"; say "debootstrap failed"; exit 1; }
    # The mirror apt uses; no package lists or caches in the images.
    printf 'deb %s bookworm main\n' "$(debian_mirror)" >"$dir/etc/apt/sources.list"
    rm -rf "$dir"/var/cache/apt/*.bin "$dir"/var/lib/apt/lists/* "$dir"/usr/share/doc/* "$dir"/usr/share/man/*
    tar -C "$dir" -cf "$minbase_tar.part" . && mv "$minbase_tar.part" "$minbase_tar"
    rm -rf "$dir"
  fi
  local root
  root="$(mktemp -d "$STATE/rootfs.XXXXXX")"
  tar -C "$root" -xf "$minbase_tar"
  printf '%s\n' "$root"
}

import_rootfs() { # DIR NAME:TAG --change...
  local dir="$1" tag="$2"
  shift 2
  local changes=()
  for change in "$@"; do changes+=(--change "$change"); done
  # mktemp made the folder 0700: as the image's / it would keep every user but root out of everything.
  chmod 0755 "$dir"
  tar -C "$dir" -c . | docker import "${changes[@]}" - "$tag" >/dev/null
  rm -rf "$dir"
  say "base: made $tag ($(docker image inspect --format '{{.Size}}' "$tag" | awk '{ printf "%d MB", $1 / 1e6 }'))"
}

if has_image "$NODE_IMAGE"; then
  say "base: $NODE_IMAGE exists"
else
  need_root "make the base image $NODE_IMAGE (chroot)"
  node_bin="$(command -v node)"
  npm_dir="$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")"
  node_version="$("$node_bin" --version)"
  case "$node_version" in v20.*) ;; *) say "base: warning: this machine's node is $node_version, not 20.x" ;; esac
  root="$(new_rootfs)"
  # The official image's layout: node and npm under /usr/local, a `node` user with uid/gid 1000.
  install -D -m 0755 "$node_bin" "$root/usr/local/bin/node"
  mkdir -p "$root/usr/local/lib/node_modules"
  cp -a "$npm_dir" "$root/usr/local/lib/node_modules/npm"
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/local/bin/npm"
  ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/local/bin/npx"
  chroot "$root" groupadd --gid 1000 node
  chroot "$root" useradd --uid 1000 --gid node --shell /bin/bash --create-home node
  chroot "$root" /usr/local/bin/node --version >/dev/null
  extra=()
  # Trust what this machine's node trusts: where the npm registry is reached through a TLS-intercepting proxy
  # (a CA of its own in NODE_EXTRA_CA_CERTS, or added under /usr/local/share/ca-certificates), the image
  # build's `npm i -g pnpm` and `pnpm fetch` need that CA too. Certificates only: no keys, no credentials.
  ca="${NODE_EXTRA_CA_CERTS:-}"
  if [ -z "$ca" ] && compgen -G '/usr/local/share/ca-certificates/*.crt' >/dev/null; then
    ca=/etc/ssl/certs/ca-certificates.crt
  fi
  if [ -n "$ca" ] && [ -s "$ca" ]; then
    install -D -m 0644 "$ca" "$root/usr/local/share/baton-host-ca/ca-certificates.crt"
    extra+=('ENV NODE_EXTRA_CA_CERTS=/usr/local/share/baton-host-ca/ca-certificates.crt')
    say "base: $NODE_IMAGE trusts this machine's CA bundle ($ca)"
  fi
  import_rootfs "$root" "$NODE_IMAGE" \
    'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    "ENV NODE_VERSION=${node_version#v}" \
    "${extra[@]}" \
    "LABEL org.baton.standin=$STANDIN_VERSION" \
    'CMD ["node"]'
fi

if has_image "$REDIS_IMAGE"; then
  say "base: $REDIS_IMAGE exists"
else
  need_root "make the base image $REDIS_IMAGE (chroot)"
  root="$(new_rootfs)"
  # No service may start inside the chroot while the package installs.
  printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
  chmod 0755 "$root/usr/sbin/policy-rc.d"
  { chroot "$root" apt-get -o APT::Sandbox::User=root update -qq &&
    chroot "$root" env DEBIAN_FRONTEND=noninteractive apt-get -o APT::Sandbox::User=root install -y -qq \
      --no-install-recommends redis-server && chroot "$root" apt-get clean; } >"$STATE/redis-image.log" 2>&1 ||
    { tail -n 20 "$STATE/redis-image.log" >&2; rm -rf "$root"; say "base: installing redis-server failed"; exit 1; }
  rm -rf "$root"/var/lib/apt/lists/* "$root/usr/sbin/policy-rc.d" "$root"/usr/share/doc/* "$root"/usr/share/man/*
  mkdir -p "$root/data"
  # The official image builds Redis with protected mode off, so that other containers may connect without a
  # password: do the same at start, and run in /data (the compose volume).
  cat >"$root/usr/local/bin/docker-entrypoint.sh" <<'EOF'
#!/bin/sh
set -e
if [ "${1:-}" = redis-server ]; then
  shift
  exec redis-server "$@" --protected-mode no
fi
exec "$@"
EOF
  chmod 0755 "$root/usr/local/bin/docker-entrypoint.sh"
  import_rootfs "$root" "$REDIS_IMAGE" \
    'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    'WORKDIR /data' \
    'VOLUME /data' \
    'EXPOSE 6379' \
    'ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]' \
    "LABEL org.baton.standin=$STANDIN_VERSION" \
    'CMD ["redis-server"]'
fi

say "ready"
