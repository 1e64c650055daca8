#!/usr/bin/env bash
# Starts and stops a real Prometheus server for tests and local development (ADR 0038), like scripts/kafka/broker.sh.
#
#   prometheus.sh start TARGET TOKEN_FILE   TARGET host:port of the service to scrape (GET /metrics), TOKEN_FILE a file
#                                          holding the scraper's bearer token (NOM_METRICS_TOKEN); prints
#                                          PROMETHEUS_URL=http://127.0.0.1:<port> on stdout, `eval`-able
#   prometheus.sh stop                     stop the server started by this script
#   prometheus.sh check-rules [FILE]       promtool check rules (default deploy/prometheus/alerts.yml)
#
# `prometheus` and `promtool` are taken from PATH or installed from Debian's `prometheus` package (apt-get, as root
# or through sudo); when they cannot be had the script FAILS with a clear message: a test never skips for it.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd -P)"
NOM_PROMETHEUS_HOME="${NOM_PROMETHEUS_HOME:-$REPO_ROOT/.local/prometheus}"
PROMETHEUS_START_TIMEOUT="${PROMETHEUS_START_TIMEOUT:-60}"
SCRAPE_INTERVAL="${PROMETHEUS_SCRAPE_INTERVAL:-1s}"
PID_FILE="$NOM_PROMETHEUS_HOME/prometheus.pid"
CONFIG="$NOM_PROMETHEUS_HOME/prometheus.yml"
LOG="$NOM_PROMETHEUS_HOME/prometheus.log"

log() { printf 'prometheus: %s\n' "$*" >&2; }
die() { printf 'prometheus: error: %s\n' "$*" >&2; exit 1; }

ensure_installed() {
  if command -v prometheus >/dev/null && command -v promtool >/dev/null; then return 0; fi
  log "prometheus/promtool not on PATH: installing Debian's prometheus package"
  local sudo=()
  if [[ "$(id -u)" != 0 ]]; then
    command -v sudo >/dev/null || die "prometheus is not installed and this user is not root and has no sudo: install Debian's 'prometheus' package (apt-get install -y prometheus)"
    sudo=(sudo -n)
  fi
  if ! "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends prometheus >&2; then
    "${sudo[@]}" apt-get update >&2 || true
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends prometheus >&2 \
      || die "could not install Debian's 'prometheus' package (apt-get install -y prometheus failed); the Prometheus test cannot run"
  fi
  command -v prometheus >/dev/null && command -v promtool >/dev/null || die "the prometheus package installed no prometheus/promtool on PATH"
}

# A free port below the kernel's ephemeral range, from the project's own helper (libs/platform/src/ports.ts, built):
# one the OS picks with listen(0) is in that range, and an outgoing connection can take it before prometheus binds it.
free_port() {
  local helper="$REPO_ROOT/dist/libs/platform/src/ports.js"
  [[ -f "$helper" ]] || die "no $helper: run npm run build first"
  node --input-type=module -e "
    const { pathToFileURL } = await import('node:url');
    const { freePort } = await import(pathToFileURL(process.argv[1]).href);
    console.log(await freePort());" "$helper"
}

running_pid() {
  [[ -f "$PID_FILE" ]] || return 1
  local pid; pid="$(tr -dc '0-9' <"$PID_FILE")"
  [[ -n "$pid" ]] && ps -p "$pid" -o command= 2>/dev/null | grep -q "$CONFIG" && echo "$pid"
}

start() {
  local target="${1:?usage: prometheus.sh start HOST:PORT TOKEN_FILE}" token_file="${2:?usage: prometheus.sh start HOST:PORT TOKEN_FILE}"
  [[ -r "$token_file" ]] || die "token file $token_file is not readable"
  ensure_installed
  if running_pid >/dev/null; then stop; fi
  mkdir -p "$NOM_PROMETHEUS_HOME/data"
  local port; port="$(free_port)"
  cat >"$CONFIG" <<YAML
global:
  scrape_interval: $SCRAPE_INTERVAL
  evaluation_interval: $SCRAPE_INTERVAL
rule_files:
  - $REPO_ROOT/deploy/prometheus/alerts.yml
scrape_configs:
  - job_name: nom
    metrics_path: /metrics
    authorization:
      type: Bearer
      credentials_file: $(cd "$(dirname "$token_file")" && pwd -P)/$(basename "$token_file")
    static_configs:
      - targets: ['$target']
YAML
  promtool check config "$CONFIG" >&2 || die "generated configuration $CONFIG is invalid"
  prometheus --config.file="$CONFIG" --storage.tsdb.path="$NOM_PROMETHEUS_HOME/data" \
    --web.listen-address="127.0.0.1:$port" >"$LOG" 2>&1 &
  echo $! >"$PID_FILE"
  local deadline=$((SECONDS + PROMETHEUS_START_TIMEOUT))
  until curl -fsS "http://127.0.0.1:$port/-/ready" >/dev/null 2>&1; do
    running_pid >/dev/null || die "prometheus exited at start; see $LOG"
    (( SECONDS < deadline )) || { stop; die "prometheus not ready within ${PROMETHEUS_START_TIMEOUT}s; see $LOG"; }
    sleep 0.2
  done
  log "ready on 127.0.0.1:$port scraping $target"
  echo "PROMETHEUS_URL=http://127.0.0.1:$port"
}

stop() {
  local pid
  pid="$(running_pid)" || { log "not running"; return 0; }
  kill "$pid"
  local deadline=$((SECONDS + 30))
  while ps -p "$pid" >/dev/null 2>&1; do (( SECONDS < deadline )) || { kill -9 "$pid"; break; }; sleep 0.2; done
  rm -f "$PID_FILE"
  log "stopped"
}

check_rules() {
  ensure_installed
  promtool check rules "${1:-$REPO_ROOT/deploy/prometheus/alerts.yml}"
}

case "${1:-}" in
  start) shift; start "$@" ;;
  stop) stop ;;
  check-rules) shift; check_rules "$@" ;;
  *) die "usage: prometheus.sh start HOST:PORT TOKEN_FILE | stop | check-rules [FILE]" ;;
esac
