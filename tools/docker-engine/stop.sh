#!/usr/bin/env bash
# Stops the dockerd that tools/docker-engine/setup.sh started (by its pidfile; an engine started any other
# way is left alone). Images, build cache and volumes stay in /var/lib/docker for the next start.
set -euo pipefail

STATE="${BATON_DOCKER_STATE:-/var/lib/baton-docker-engine}"
pidfile="$STATE/dockerd.pid"

if [ ! -s "$pidfile" ]; then
  echo "docker-engine: no dockerd started by setup.sh (no $pidfile)" >&2
  exit 0
fi
pid="$(cat "$pidfile")"
if ! kill -0 "$pid" 2>/dev/null; then
  echo "docker-engine: dockerd $pid is not running" >&2
  rm -f "$pidfile"
  exit 0
fi
# SIGTERM: dockerd stops its containers and its containerd, then exits (and removes the pidfile).
kill -TERM "$pid"
for _ in $(seq 1 120); do
  kill -0 "$pid" 2>/dev/null || { echo "docker-engine: dockerd $pid stopped" >&2; exit 0; }
  sleep 0.5
done
echo "docker-engine: dockerd $pid did not stop within 60 s" >&2
exit 1
