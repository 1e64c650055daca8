#!/usr/bin/env bash
# Builds the integrators' clients that the end-to-end tests run against the real broker, once per machine, into a
# cache keyed by what they are built from; prints where the result is (stdout, one line). Fails with the reason.
#
#   install.sh librdkafka   node-rdkafka 3.6.1 (librdkafka 2.12.0, compiled from the npm package's bundled source by
#                           node-gyp: about 3 minutes on 2 cores, the first time only); prints its directory
#   install.sh java         examples/java-consumer as one runnable jar (Maven; the first build resolves from Maven
#                           Central into ~/.m2, later ones run offline); prints the jar's path
#
# env: NOM_CLIENTS_CACHE (default ${XDG_CACHE_HOME:-~/.cache}/nom-backbone/clients)
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd -P)"
CACHE="${NOM_CLIENTS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/nom-backbone/clients}"

log() { printf 'clients: %s\n' "$*" >&2; }
die() { printf 'clients: error: %s\n' "$*" >&2; exit 1; }
hash_of() { cat "$@" | sha256sum | cut -c1-16; }

# One builder at a time per cache entry (two test files may ask at once).
locked() {
  local lock="$1"; shift
  mkdir -p "$(dirname "$lock")"
  exec 8>"$lock"
  command -v flock >/dev/null 2>&1 && flock -w 1200 8
  "$@"
}

librdkafka() {
  local src="$SCRIPT_DIR/librdkafka" dir
  dir="$CACHE/librdkafka-$(hash_of "$src/package.json" "$src/package-lock.json")"
  build() {
    [[ -f "$dir/.built" ]] && return 0
    command -v make >/dev/null 2>&1 && command -v g++ >/dev/null 2>&1 && command -v python3 >/dev/null 2>&1 \
      || die "node-rdkafka compiles librdkafka: needs make, g++ and python3 (apt-get install -y build-essential python3)"
    # node-gyp needs Node's headers; it would download them, so point it at the ones installed with node when present.
    local node_prefix
    node_prefix="$(dirname "$(dirname "$(command -v node)")")"
    if [[ -f "$node_prefix/include/node/node.h" ]]; then export npm_config_nodedir="$node_prefix"; fi
    rm -rf "$dir.tmp"
    mkdir -p "$dir.tmp"
    cp "$src/package.json" "$src/package-lock.json" "$dir.tmp/"
    log "building node-rdkafka (librdkafka from source) in $dir (first time only, a few minutes)..."
    if ! (cd "$dir.tmp" && nice -n 10 npm ci --no-audit --no-fund >"$dir.tmp/npm.log" 2>&1); then
      tail -n 40 "$dir.tmp/npm.log" >&2
      die "npm ci of node-rdkafka failed (log above)"
    fi
    (cd "$dir.tmp" && node -e 'require("node-rdkafka")') || die "node-rdkafka was installed but does not load"
    touch "$dir.tmp/.built"
    rm -rf "$dir"
    mv "$dir.tmp" "$dir"
  }
  locked "$dir.lock" build
  echo "$dir"
}

java_consumer() {
  local src="$REPO_ROOT/examples/java-consumer" key jar
  command -v mvn >/dev/null 2>&1 || die "missing prerequisite: mvn (Apache Maven 3.6+) to build examples/java-consumer"
  key="$(cd "$src" && find pom.xml src -type f | sort | xargs cat | sha256sum | cut -c1-16)"
  jar="$CACHE/java-consumer-$key/java-consumer.jar"
  build() {
    [[ -f "$jar" ]] && return 0
    local out="$CACHE/java-consumer-$key.tmp" offline=(-o)
    rm -rf "$out"
    mkdir -p "$out"
    cp -r "$src/pom.xml" "$src/src" "$out/"
    log "building examples/java-consumer with Maven..."
    # Offline first (the dependencies are in ~/.m2 after one online build); online only when something is missing.
    if ! (cd "$out" && mvn -B -q "${offline[@]}" -Dstyle.color=never package >"$out/mvn.log" 2>&1); then
      log "offline build failed; resolving from Maven Central once..."
      (cd "$out" && mvn -B -q -Dstyle.color=never package >"$out/mvn.log" 2>&1) || { tail -n 60 "$out/mvn.log" >&2; die "mvn package failed"; }
    fi
    mkdir -p "$(dirname "$jar")"
    cp "$out"/target/java-consumer.jar "$jar"
    rm -rf "$out"
  }
  locked "$CACHE/java-consumer.lock" build
  echo "$jar"
}

case "${1:-}" in
  librdkafka) librdkafka ;;
  java) java_consumer ;;
  *) echo "usage: $0 librdkafka|java" >&2; exit 2 ;;
esac
