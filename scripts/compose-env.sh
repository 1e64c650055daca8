#!/usr/bin/env bash
# Writes, once, what `docker compose up` needs and no one should type: a .env beside docker-compose.yml with random
# passwords (PostgreSQL and its roles, the three Kafka SCRAM users) and keys (KEK, matching key), and the sealer's Ed25519 key as a
# Compose secret file (.local/compose/audit-signing-key.pem). Existing values are kept (the KEK unlocks every personal
# field: never regenerate it for existing data). Add your identity provider (NOM_AUTH_JWKS_URL or NOM_AUTH_PUBLIC_KEY,
# NOM_AUTH_ISSUER, NOM_AUTH_ISSUER_FORCES) to .env yourself.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
umask 077
touch .env
random() { node -e "process.stdout.write(require('crypto').randomBytes($1).toString('base64'))"; }
add() { grep -q "^$1=" .env || printf '%s=%s\n' "$1" "$2" >>.env; }
add POSTGRES_PASSWORD "$(node -e "process.stdout.write(require('crypto').randomBytes(24).toString('hex'))")"
for user in ADMIN RELAY PROJECTOR; do add "NOM_KAFKA_${user}_PASSWORD" "$(random 24)"; done
# The PostgreSQL roles of ADR 0035 (hex: they go into each service's DATABASE_URL unencoded).
for role in OWNER API RELAY PROJECTOR PROCESS_MANAGER NATIONAL SEALER RESEARCH; do
  add "NOM_DB_PASSWORD_NOM_${role}" "$(node -e "process.stdout.write(require('crypto').randomBytes(24).toString('hex'))")"
done
add NOM_KEK "$(random 32)"
add NOM_MATCHING_KEY "$(random 32)"
mkdir -p .local/compose
[[ -f .local/compose/audit-signing-key.pem ]] ||
  node -e "process.stdout.write(require('crypto').generateKeyPairSync('ed25519').privateKey.export({type:'pkcs8',format:'pem'}))" >.local/compose/audit-signing-key.pem
echo "compose-env: .env and .local/compose/audit-signing-key.pem ready (mode 600); add your identity provider to .env"
