#!/usr/bin/env bash
# Writes, once, what `docker compose up` needs and no one should type: a .env beside docker-compose.yml with random
# passwords (PostgreSQL and its roles, the three Kafka SCRAM users) and keys (KEK, matching key), and the sealer's Ed25519 key as a
# Compose secret file (.local/compose/audit-signing-key.pem). Existing values are kept (the KEK unlocks every personal
# field: never regenerate it for existing data). Add your identity provider (NOM_AUTH_JWKS_URL or NOM_AUTH_PUBLIC_KEY,
# NOM_AUTH_ISSUER, NOM_AUTH_ISSUER_FORCES) to .env yourself, or, for development only:
#
#   bash scripts/compose-env.sh --dev-issuer
#
# also writes the development-only issuer's ES256 key (.local/compose/dev-issuer-key.pem, a Compose secret), its public
# key, issuer and forces into .env as the services' identity provider, and COMPOSE_PROFILES=dev-issuer, so that
# `docker compose up` starts the `dev-issuer` service (POST http://127.0.0.1:4000/tokens: a token for ANY force and
# role). The services hold its public key: they refuse a JWKS over plain HTTP off loopback. NOM_COMPOSE_ENV_DIR
# (default: the repository) is where .env and .local/compose/ are written.
set -euo pipefail
script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "${NOM_COMPOSE_ENV_DIR:-$script_dir/..}"
dev_issuer=0
case "${1:-}" in
  "") ;;
  --dev-issuer) dev_issuer=1 ;;
  *) echo "usage: scripts/compose-env.sh [--dev-issuer]" >&2; exit 2 ;;
esac
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
if [[ "$dev_issuer" = 1 ]]; then
  [[ -f .local/compose/dev-issuer-key.pem ]] ||
    node -e "process.stdout.write(require('crypto').generateKeyPairSync('ec',{namedCurve:'P-256'}).privateKey.export({type:'pkcs8',format:'pem'}))" \
      >.local/compose/dev-issuer-key.pem
  # One line, the PEM's newlines written as \n inside double quotes (Compose expands them).
  public_pem="$(node -e "process.stdout.write(require('crypto').createPublicKey(require('fs').readFileSync(process.argv[1], 'utf8'))
    .export({ type: 'spki', format: 'pem' }).toString())" .local/compose/dev-issuer-key.pem)"
  add NOM_AUTH_PUBLIC_KEY "\"$(printf '%s\n' "$public_pem" | awk '{ printf "%s\\n", $0 }')\""
  add NOM_AUTH_ISSUER urn:uk:police:nom:dev-issuer
  add NOM_AUTH_ISSUER_FORCES all,national
  add COMPOSE_PROFILES dev-issuer
  echo "compose-env: DEVELOPMENT ONLY: the dev-issuer service is the services' identity provider (tokens: POST http://127.0.0.1:4000/tokens)"
fi
echo "compose-env: .env and .local/compose/ ready (mode 600)$([[ "$dev_issuer" = 1 ]] || echo '; add your identity provider to .env')"
