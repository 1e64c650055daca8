#!/usr/bin/env bash
# The distributed topology on this machine, each service its own process, port and Kafka principal (issue 15, item 7):
#
#   npm run build
#   eval "$(bash scripts/kafka/broker.sh start)"          # a SASL/SCRAM broker with ACLs (or KAFKA_BROKERS + KAFKA_CREDENTIALS_FILE)
#   export DATABASE_URL=postgres://postgres@127.0.0.1:5432/nom
#   bash scripts/stack.sh start                          # prints every URL and how to get a token
#   bash scripts/stack.sh stop                           # also: status
#
# Jobs first, as in docker-compose.yml: the Kafka provisioning job (ACLs for NOM_TOPIC_PREFIX, as the admin principal),
# then the migration job (`nom migrate`, ADR 0035: with DATABASE_URL as the admin connection it creates the owner and
# the service roles, migrates every log schema as the owner and grants each role its access). Then the
# development-only identity issuer (apps/dev-issuer; the services trust its JWKS as they would a force's provider),
# and the services. Kafka principals: the relay and the sealer `nom-relay`, the projector `nom-projector`; the
# services that need no Kafka get no broker and no credentials. PostgreSQL: each service connects as its own role
# (cases, suspects, victims, learning nom_api; relay nom_relay; projector nom_projector; process-manager
# nom_process_manager; national nom_national; sealer nom_sealer), named in pg_stat_activity as nom-stack-<service>.
# Secrets (KEK, matching key, audit signing key, the roles' passwords) are generated once into $NOM_STACK_DIR/secrets
# (mode 600). Ports: NOM_STACK_PORT (default 4100) for the issuer, then +1..+9 in the order below.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STACK_DIR="${NOM_STACK_DIR:-$REPO_ROOT/.local/stack}"
BASE="${NOM_STACK_PORT:-4100}"
FORCES="${NOM_FORCES:-avon-somerset,metropolitan,wiltshire,south-wales}"
PREFIX="${NOM_TOPIC_PREFIX:-nom}"
SERVICES=(cases suspects victims learning relay projector process-manager national sealer)
ROLES=(nom_owner nom_api nom_relay nom_projector nom_process_manager nom_national nom_sealer nom_research)

die() { echo "stack: $*" >&2; exit 1; }
port_of() { local i; for i in "${!SERVICES[@]}"; do [[ "${SERVICES[$i]}" == "$1" ]] && { echo $((BASE + i + 1)); return; }; done; die "no service $1"; }
credential() { grep -m1 "^$1=" "$KAFKA_CREDENTIALS_FILE" | cut -d= -f2- || die "no password for $1 in $KAFKA_CREDENTIALS_FILE"; }
running() { [[ -f "$STACK_DIR/pids/$1" ]] && kill -0 "$(cat "$STACK_DIR/pids/$1")" 2>/dev/null; }

wait_http() { # name url
  local deadline=$((SECONDS + ${NOM_STACK_TIMEOUT_S:-120}))
  until node -e "fetch(process.argv[1]).then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))" "$2" 2>/dev/null; do
    running "$1" || { tail -n 30 "$STACK_DIR/logs/$1.log" >&2; die "$1 exited (log: $STACK_DIR/logs/$1.log)"; }
    ((SECONDS < deadline)) || { tail -n 30 "$STACK_DIR/logs/$1.log" >&2; die "$1 did not answer $2 in time"; }
    sleep 0.5
  done
}

launch() { # name port main [VAR=value ...]: a process with the base environment, less Kafka unless given
  local name="$1" port="$2" main="$3"; shift 3
  env -u KAFKA_BROKERS -u KAFKA_SASL_MECHANISM -u KAFKA_USERNAME -u KAFKA_PASSWORD -u KAFKA_CREDENTIALS_FILE \
    PORT="$port" NOM_TOPIC_PREFIX="$PREFIX" NOM_FORCES="$FORCES" PGAPPNAME="nom-stack-$name" "$@" \
    nohup node "$REPO_ROOT/$main" >"$STACK_DIR/logs/$name.log" 2>&1 &
  echo $! >"$STACK_DIR/pids/$name"
}

secrets() {
  local dir="$STACK_DIR/secrets"
  mkdir -p "$dir" && chmod 700 "$dir"
  [[ -f "$dir/kek" ]] || node -e "process.stdout.write(require('crypto').randomBytes(32).toString('base64'))" >"$dir/kek"
  [[ -f "$dir/matching-key" ]] || node -e "process.stdout.write(require('crypto').randomBytes(32).toString('base64'))" >"$dir/matching-key"
  [[ -f "$dir/audit-signing-key.pem" ]] || node -e "const {generateKeyPairSync}=require('crypto');process.stdout.write(generateKeyPairSync('ed25519').privateKey.export({type:'pkcs8',format:'pem'}))" >"$dir/audit-signing-key.pem"
  local role
  for role in "${ROLES[@]}"; do
    [[ -f "$dir/db-$role" ]] || node -e "process.stdout.write(require('crypto').randomBytes(24).toString('hex'))" >"$dir/db-$role"
  done
  chmod 600 "$dir"/*
}

# DATABASE_URL as the role's own connection (its password from the secrets directory).
role_url() { # role
  node -e 'const u = new URL(process.argv[1]); u.username = process.argv[2]; u.password = process.argv[3]; process.stdout.write(u.href)' \
    "$DATABASE_URL" "$1" "$(cat "$STACK_DIR/secrets/db-$1")"
}

start() {
  [[ -f "$REPO_ROOT/dist/apps/cases/src/main.js" && -f "$REPO_ROOT/dist/apps/dev-issuer/src/main.js" ]] || die "run 'npm run build' first"
  [[ -n "${DATABASE_URL:-}" ]] || die "set DATABASE_URL (a PostgreSQL role that may create roles: the migration job provisions one per service)"
  [[ -n "${KAFKA_BROKERS:-}" && -n "${KAFKA_CREDENTIALS_FILE:-}" ]] || die "start a broker first: eval \"\$(bash scripts/kafka/broker.sh start)\""
  for s in dev-issuer "${SERVICES[@]}"; do running "$s" && die "$s is already running (bash scripts/stack.sh stop)"; done
  mkdir -p "$STACK_DIR/logs" "$STACK_DIR/pids"
  secrets
  local relay projector admin
  relay="$(credential nom-relay)"; projector="$(credential nom-projector)"; admin="$(credential nom-admin)"

  echo "stack: Kafka provisioning job (ACLs for topic prefix $PREFIX, as nom-admin)"
  KAFKA_SASL_MECHANISM=scram-sha-512 KAFKA_USERNAME=nom-admin KAFKA_PASSWORD="$admin" NOM_TOPIC_PREFIX="$PREFIX" \
    node "$REPO_ROOT/dist/scripts/kafka/provision.js" acls >"$STACK_DIR/logs/provision.log" 2>&1 || { cat "$STACK_DIR/logs/provision.log" >&2; die "provisioning failed"; }

  echo "stack: development-only identity issuer on 127.0.0.1:$BASE"
  launch dev-issuer "$BASE" dist/apps/dev-issuer/src/main.js NOM_AUTH_ISSUER=urn:uk:police:nom:dev-issuer
  wait_http dev-issuer "http://127.0.0.1:$BASE/.well-known/jwks.json"

  local kek matching auth
  kek="$(cat "$STACK_DIR/secrets/kek")"; matching="$(cat "$STACK_DIR/secrets/matching-key")"
  auth=(NOM_AUTH_JWKS_URL="http://127.0.0.1:$BASE/.well-known/jwks.json" NOM_AUTH_ISSUER=urn:uk:police:nom:dev-issuer NOM_AUTH_ISSUER_FORCES=all,national)
  local kafka=(KAFKA_BROKERS="$KAFKA_BROKERS" KAFKA_SASL_MECHANISM=scram-sha-512)

  echo "stack: migration job (nom migrate: roles, migrations as nom_owner, grants)"
  local role passwords=()
  for role in "${ROLES[@]}"; do passwords+=("NOM_DB_PASSWORD_${role^^}_FILE=$STACK_DIR/secrets/db-$role"); done
  env -u KAFKA_BROKERS NOM_ADMIN_DATABASE_URL="$DATABASE_URL" DATABASE_URL="$(role_url nom_owner)" "${passwords[@]}" \
    node "$REPO_ROOT/dist/scripts/nom.js" migrate >"$STACK_DIR/logs/migrate.log" 2>&1 || { cat "$STACK_DIR/logs/migrate.log" >&2; die "migration failed"; }

  local api
  api="$(role_url nom_api)"
  launch cases "$(port_of cases)" dist/apps/cases/src/main.js "${auth[@]}" NOM_KEK="$kek" DATABASE_URL="$api"
  launch suspects "$(port_of suspects)" dist/apps/suspects/src/main.js "${auth[@]}" NOM_KEK="$kek" DATABASE_URL="$api"
  launch victims "$(port_of victims)" dist/apps/victims/src/main.js "${auth[@]}" NOM_KEK="$kek" DATABASE_URL="$api"
  launch learning "$(port_of learning)" dist/apps/learning/src/main.js "${auth[@]}" NOM_KEK="$kek" DATABASE_URL="$api"
  launch relay "$(port_of relay)" dist/apps/relay/src/main.js "${kafka[@]}" KAFKA_USERNAME=nom-relay KAFKA_PASSWORD="$relay" \
    DATABASE_URL="$(role_url nom_relay)"
  # The relay creates the force and national topics (only it may create the national one: ADR 0010); the projector
  # subscribes to them, so it starts once the relay is ready.
  wait_http relay "http://127.0.0.1:$(port_of relay)/health/ready"
  launch projector "$(port_of projector)" dist/apps/projector/src/main.js "${auth[@]}" "${kafka[@]}" KAFKA_USERNAME=nom-projector \
    KAFKA_PASSWORD="$projector" DATABASE_URL="$(role_url nom_projector)"
  launch process-manager "$(port_of process-manager)" dist/apps/process-manager/src/main.js NOM_KEK="$kek" \
    DATABASE_URL="$(role_url nom_process_manager)"
  launch national "$(port_of national)" dist/apps/national/src/main.js "${auth[@]}" NOM_KEK="$kek" NOM_MATCHING_KEY="$matching" \
    DATABASE_URL="$(role_url nom_national)"
  launch sealer "$(port_of sealer)" dist/apps/sealer/src/main.js "${auth[@]}" "${kafka[@]}" KAFKA_USERNAME=nom-relay KAFKA_PASSWORD="$relay" \
    NOM_KEK="$kek" NOM_AUDIT_SIGNING_KEY="$STACK_DIR/secrets/audit-signing-key.pem" DATABASE_URL="$(role_url nom_sealer)"
  for s in "${SERVICES[@]}"; do wait_http "$s" "http://127.0.0.1:$(port_of "$s")/health"; done

  echo "stack: up (logs in $STACK_DIR/logs; JSON lines)"
  for s in "${SERVICES[@]}"; do printf '  %-16s http://127.0.0.1:%s (pid %s)\n' "$s" "$(port_of "$s")" "$(cat "$STACK_DIR/pids/$s")"; done
  echo "  token (DEV ONLY): curl -s -X POST http://127.0.0.1:$BASE/tokens -H 'content-type: application/json' \\"
  echo "                      -d '{\"force\":\"avon-somerset\",\"officerId\":\"AS-4471\",\"roles\":[\"officer\",\"supervisor\"]}'"
}

stop() {
  [[ -d "$STACK_DIR/pids" ]] || return 0
  local s pid
  for s in sealer national process-manager projector relay learning victims suspects cases dev-issuer; do
    [[ -f "$STACK_DIR/pids/$s" ]] || continue
    pid="$(cat "$STACK_DIR/pids/$s")"
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$STACK_DIR/pids/$s"
  done
  echo "stack: stopped"
}

status() {
  for s in dev-issuer "${SERVICES[@]}"; do
    if running "$s"; then echo "$s: running (pid $(cat "$STACK_DIR/pids/$s"))"; else echo "$s: stopped"; fi
  done
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) die "usage: scripts/stack.sh start | stop | status" ;;
esac
