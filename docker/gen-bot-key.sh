#!/usr/bin/env sh
# Creates the Docker demo's secrets. Run it ONCE, before the first `docker compose up`:
#
#   ./docker/gen-bot-key.sh            # writes secrets/bot_private_key.pem, secrets/bot_public_key.pem
#                                      # and secrets/dashboard_token
#   ./docker/gen-bot-key.sh --force    # replaces the key pair (the dashboard token is kept)
#
# docker-compose.yml mounts the private key into the ingester and the workers as the compose secret
# /run/secrets/bot_private_key (SYMPHONY_PRIVATE_KEY_FILE), and the public key into the pod simulator,
# whose key manager verifies the bot's login JWT with it (docker/sim-seed.yaml). For a real pod, give
# the public key to the pod administrator to register on the bot's service account.
#
# The secrets/ directory is git-ignored (this script writes its .gitignore) and excluded from the
# Docker build context (.dockerignore): keys never reach git or an image.
set -eu

root="$(cd "$(dirname "$0")/.." && pwd)"
dir="$root/secrets"
private="$dir/bot_private_key.pem"
public="$dir/bot_public_key.pem"

token="$dir/dashboard_token"

command -v openssl >/dev/null 2>&1 || { echo "gen-bot-key: openssl is required" >&2; exit 1; }
mkdir -p "$dir"
chmod 700 "$dir"
printf '*\n' > "$dir/.gitignore"
umask 077

# The dashboard listens beyond loopback in compose, so it requires a bearer token.
if [ ! -f "$token" ]; then
  openssl rand -hex 24 > "$token"
  chmod 644 "$token"
  echo "gen-bot-key: wrote $token (dashboard: http://localhost:3100/?token=$(cat "$token"))"
fi

if [ -f "$private" ] && [ "${1:-}" != "--force" ]; then
  echo "gen-bot-key: $private already exists (use --force to replace it)"
  exit 0
fi
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:4096 -out "$private" 2>/dev/null
openssl pkey -in "$private" -pubout -out "$public"
# Compose bind-mounts file secrets with their host permissions, and the services run as the image's
# unprivileged `node` user (uid 1000), which may not be the owner on this host. The directory stays
# 0700, so on the host only its owner can reach the files.
chmod 644 "$private" "$public"

echo "gen-bot-key: wrote $private and $public"
