#!/usr/bin/env bash
# The benchmark baseline: `npm run bench` (builds, then runs this). Not part of the tests.
#
# Every result is one JSON line on stdout; progress and logs go to stderr, so
#   npm run bench --silent > bench.jsonl
# keeps just the results. Set BENCH_OUTPUT=<file> to also copy the JSON lines there.
#
#   DATABASE_URL    PostgreSQL to use (default postgres://postgres@127.0.0.1:5432/test). Each bench works in its
#                   own fresh schema and drops it at the end.
#   KAFKA_BROKERS   Kafka to use. Unset: the broker of scripts/kafka/broker.sh is started (or reused), and
#                   stopped at the end if this script started it.
#   BENCH_*         sizes and selection, see bench/src/main.ts (e.g. BENCH_ONLY=relay BENCH_SCALE=0.1).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$ROOT"

export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}"

BROKER_SCRIPT="$ROOT/scripts/kafka/broker.sh"
BROKER_SCRIPT_WAIT="${BENCH_BROKER_SCRIPT_WAIT:-1200}" # seconds to wait for broker.sh to appear (20 min at most)
started_broker=0

log() { printf 'bench.sh: %s\n' "$*" >&2; }

cleanup() {
  local status=$?
  if (( started_broker )); then
    log "stopping the Kafka broker this run started"
    bash "$BROKER_SCRIPT" stop >&2 || log "could not stop the broker"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [[ ! -f dist/bench/src/main.js ]]; then
  log "dist/bench/src/main.js is missing: run \`npm run bench\` (it builds first)"
  exit 1
fi

if [[ -z "${KAFKA_BROKERS:-}" ]]; then
  # broker.sh belongs to another part of the project and may not be there yet: wait for it, with a deadline.
  deadline=$((SECONDS + (BROKER_SCRIPT_WAIT < 1200 ? BROKER_SCRIPT_WAIT : 1200)))
  while [[ ! -f "$BROKER_SCRIPT" ]]; do
    if (( SECONDS >= deadline )); then
      log "$BROKER_SCRIPT did not appear in time; set KAFKA_BROKERS to use a running broker"
      exit 1
    fi
    log "waiting for $BROKER_SCRIPT..."
    sleep 10
  done
  # Stop the broker at the end only if it was not running (nor starting) before this run.
  if [[ "$(bash "$BROKER_SCRIPT" status 2>/dev/null || true)" == stopped* ]]; then
    started_broker=1
  fi
  broker_out="$(bash "$BROKER_SCRIPT" start)"
  # KAFKA_BROKERS and (SASL broker, ADR 0010) the super user's KAFKA_SASL_MECHANISM/USERNAME/PASSWORD, exported.
  eval "$broker_out"
  if [[ -z "$KAFKA_BROKERS" ]]; then
    log "broker.sh start printed no KAFKA_BROKERS= line"
    exit 1
  fi
fi
export KAFKA_BROKERS

log "PostgreSQL ${DATABASE_URL%%\?*}, Kafka $KAFKA_BROKERS"

# The console bench renders the scorecard in Debian's Chromium, provided as the tests provide it.
if [[ -z "${BENCH_ONLY:-}" || ",${BENCH_ONLY}," == *",console-scorecard,"* ]]; then
  log "Chromium: $(bash scripts/chromium/ensure.sh)"
fi

# Node runs in the background so that INT/TERM reach this script's traps at once; they are forwarded to node,
# which aborts the running bench and cleans up its schemas and topics before it exits.
node_pid=""
forward() {
  if [[ -n "$node_pid" ]]; then kill -"$1" "$node_pid" 2>/dev/null || true; fi
}
trap 'forward INT' INT
trap 'forward TERM' TERM

# The services log JSON to stdout (ADR 0029), where the results go: a bench keeps warnings and errors only, as the
# tests do, so that its stdout stays one result per line and no bench pays for a log line per request.
export NOM_LOG_LEVEL="${NOM_LOG_LEVEL:-warn}"

status=0
if [[ -n "${BENCH_OUTPUT:-}" ]]; then
  node ${BENCH_NODE_OPTIONS:-} dist/bench/src/main.js > >(tee "$BENCH_OUTPUT") &
else
  node ${BENCH_NODE_OPTIONS:-} dist/bench/src/main.js &
fi
node_pid=$!
# `wait` returns early (status > 128) when a trapped signal arrives; keep waiting until node has exited.
while :; do
  wait "$node_pid" && status=0 || status=$?
  kill -0 "$node_pid" 2>/dev/null || break
done
exit "$status"
