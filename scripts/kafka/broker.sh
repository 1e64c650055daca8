#!/usr/bin/env bash
# Starts and stops a real single-node Apache Kafka broker (KRaft, combined broker+controller) for tests,
# CI and local development, from jars resolved by Maven (no Docker needed). See README.md beside this file.
#
#   broker.sh start    start (or reuse) the broker; prints KAFKA_BROKERS=localhost:<port> first on stdout,
#                      then (SASL, the default) the client settings of the admin principal, all `eval`-able
#   broker.sh start --plaintext   the same without authentication or ACLs (local experiments only)
#   broker.sh stop     stop the broker started by this script
#   broker.sh status   print running/stopped; exit 0 when running, 1 otherwise
#   broker.sh reset    stop and delete the broker's data, so the next start is fresh
#
# SASL mode (ADR 0010): SCRAM-SHA-512 over SASL_PLAINTEXT on localhost, the StandardAuthorizer with
# allow.everyone.if.no.acl.found=false, super user nom-admin; users and ACLs generated from the force list by
# scripts/kafka/provision.ts (needs `npm run build` first); random passwords in $NOM_KAFKA_HOME/state/sasl-credentials.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd -P)"

NOM_KAFKA_HOME="${NOM_KAFKA_HOME:-$REPO_ROOT/.local/kafka}"
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
KAFKA_START_TIMEOUT="${KAFKA_START_TIMEOUT:-120}"
KAFKA_STOP_TIMEOUT="${KAFKA_STOP_TIMEOUT:-30}"
KAFKA_SECURITY="${KAFKA_SECURITY:-sasl}"   # sasl | plaintext (start --plaintext sets it)

POM="$SCRIPT_DIR/pom.xml"
LOG4J_CONFIG="$SCRIPT_DIR/log4j2.yaml"
LIBS_DIR="$NOM_KAFKA_HOME/libs"
LIBS_STAMP="$LIBS_DIR/.pom.sha256"
STATE_DIR="$NOM_KAFKA_HOME/state"
DATA_DIR="$STATE_DIR/data"           # log.dirs (also holds the KRaft metadata log)
LOG_DIR="$STATE_DIR/logs"            # server.log (log4j) and console.log (JVM stdout/stderr)
PROPS="$STATE_DIR/server.properties"
PID_FILE="$STATE_DIR/broker.pid"
READY_FILE="$STATE_DIR/broker.ready" # holds the pid of the broker once it has been seen ready
LOCK_FILE="$NOM_KAFKA_HOME/.lock"
SERVER_LOG="$LOG_DIR/server.log"
CONSOLE_LOG="$LOG_DIR/console.log"
READY_MESSAGE="Kafka Server started"
CREDENTIALS_FILE="$STATE_DIR/sasl-credentials"   # principal=password per SCRAM user, mode 600
SASL_USERS_STAMP="$STATE_DIR/sasl-users"        # the SCRAM users the formatted cluster has (deleted by reset)
ADMIN_PROPS="$STATE_DIR/admin.properties"        # client settings of nom-admin for Kafka's CLI tools, mode 600
PROVISION_JS="$REPO_ROOT/dist/scripts/kafka/provision.js"
ADMIN_PRINCIPAL="nom-admin"
SCRAM_MECHANISM="SCRAM-SHA-512"

log() { printf 'kafka: %s\n' "$*" >&2; }
die() { printf 'kafka: error: %s\n' "$*" >&2; exit 1; }

kafka_version() { sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$POM" | head -n 1; }

is_port_number() { [[ "$1" =~ ^[0-9]+$ ]] && (( $1 > 0 && $1 < 65536 )); }

# --- processes -------------------------------------------------------------------------------------------

# True if $1 is a live process running kafka.Kafka with this script's server.properties (guards against a
# stale pid file whose pid was reused by something else).
is_our_broker() {
  local pid="$1" cmd
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  cmd="$(ps -p "$pid" -o command= 2>/dev/null)" || return 1
  [[ "$cmd" == *kafka.Kafka* && "$cmd" == *"$PROPS"* ]]
}

# Prints the pid of the broker started by this script, if it runs; prefers the pid file, and otherwise looks
# for a kafka.Kafka process started with exactly this state dir's server.properties (pid file lost).
running_pid() {
  local pid=""
  if [[ -f "$PID_FILE" ]]; then
    pid="$(tr -dc '0-9' <"$PID_FILE" || true)"
    if [[ -n "$pid" ]] && is_our_broker "$pid"; then echo "$pid"; return 0; fi
  fi
  pid="$(ps -eo pid=,command= 2>/dev/null | awk -v props="$PROPS" \
    'index($0, "kafka.Kafka") && index($0, props) { print $1; exit }')" || true
  if [[ -n "$pid" ]] && is_our_broker "$pid"; then echo "$pid"; return 0; fi
  return 1
}

# --- ports -----------------------------------------------------------------------------------------------

# True if something accepts TCP connections on localhost:$1.
port_accepts() {
  local port="$1" host
  for host in 127.0.0.1 ::1; do
    if (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; then return 0; fi
  done
  return 1
}

# True if some process listens on port $1 (any address).
port_in_use() {
  local port="$1"
  if command -v ss >/dev/null 2>&1; then
    [[ -n "$(ss -Hltn "sport = :$port" 2>/dev/null)" ]] && return 0
  elif command -v lsof >/dev/null 2>&1; then
    lsof -nP -iTCP:"$port" -sTCP:LISTEN >/dev/null 2>&1 && return 0
  fi
  port_accepts "$port"
}

port_owner() {
  local port="$1"
  if command -v ss >/dev/null 2>&1; then
    ss -Hltnp "sport = :$port" 2>/dev/null | sed -n 's/.*users:((\(.*\)))/\1/p' | head -n 1
  elif command -v lsof >/dev/null 2>&1; then
    lsof -nP -iTCP:"$port" -sTCP:LISTEN 2>/dev/null | awk 'NR == 2 { print $1 " pid " $2 }'
  fi
}

configured_port() {
  [[ -f "$PROPS" ]] || return 1
  sed -n 's|^listeners=[A-Z_]*://[^:]*:\([0-9]*\).*|\1|p' "$PROPS" | head -n 1
}

configured_security() {
  [[ -f "$PROPS" ]] || return 1
  if grep -q '^listeners=SASL_PLAINTEXT://' "$PROPS"; then echo sasl; else echo plaintext; fi
}

# --- prerequisites ---------------------------------------------------------------------------------------

JAVA=""
find_java() {
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
    JAVA="$JAVA_HOME/bin/java"
  elif command -v java >/dev/null 2>&1; then
    JAVA="$(command -v java)"
  else
    return 1
  fi
}

java_major() {
  local v
  v="$("$JAVA" -version 2>&1 | awk -F'"' '/version/ { print $2; exit }')"
  [[ "$v" == 1.* ]] && v="${v#1.}"
  v="${v%%[.+-]*}"
  [[ "$v" =~ ^[0-9]+$ ]] && echo "$v"
}

libs_ready() {
  [[ -f "$LIBS_STAMP" ]] && [[ "$(cat "$LIBS_STAMP")" == "$(file_hash "$POM")" ]]
}

file_hash() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum "$1" | awk '{ print $1 }'
  elif command -v shasum >/dev/null 2>&1; then shasum -a 256 "$1" | awk '{ print $1 }'
  else cksum "$1" | awk '{ print $1 "-" $2 }'
  fi
}

check_prerequisites() {
  local missing=() major
  if ! find_java; then
    missing+=("java (JDK/JRE 17 or newer; install OpenJDK 17+ or set JAVA_HOME)")
  else
    major="$(java_major || true)"
    if [[ -z "$major" ]]; then
      missing+=("java 17+ (could not read the version of $JAVA)")
    elif (( major < 17 )); then
      missing+=("java 17+ (found Java $major at $JAVA; install OpenJDK 17+ or set JAVA_HOME)")
    fi
  fi
  # Maven is only needed to resolve the jars; a warm start works without it.
  if ! libs_ready && ! command -v mvn >/dev/null 2>&1; then
    missing+=("mvn (Apache Maven 3.6+, used once to fetch the Kafka jars from Maven Central)")
  fi
  if (( ${#missing[@]} > 0 )); then
    local m
    for m in "${missing[@]}"; do printf 'kafka: error: missing prerequisite: %s\n' "$m" >&2; done
    exit 1
  fi
}

# --- start -----------------------------------------------------------------------------------------------

resolve_libs() {
  libs_ready && return 0
  local tmp="$NOM_KAFKA_HOME/libs.tmp.$$"
  log "resolving Kafka $(kafka_version) jars with Maven into $LIBS_DIR (first start only)..."
  rm -rf "$tmp"
  mkdir -p "$tmp"
  local mvn_log="$NOM_KAFKA_HOME/mvn.log"
  if ! mvn -B -q -Dstyle.color=never -f "$POM" \
      org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
      -DincludeScope=runtime -DoutputDirectory="$tmp" >"$mvn_log" 2>&1; then
    cat "$mvn_log" >&2
    rm -rf "$tmp"
    die "Maven could not resolve the Kafka jars from $POM (is Maven Central reachable?)"
  fi
  rm -f "$mvn_log"
  ls "$tmp"/kafka_2.13-*.jar >/dev/null 2>&1 || { rm -rf "$tmp"; die "Maven did not copy kafka_2.13 into $tmp"; }
  file_hash "$POM" >"$tmp/.pom.sha256"
  rm -rf "$LIBS_DIR"
  mv "$tmp" "$LIBS_DIR"
}

# The listener and security settings of the chosen mode.
security_properties() {
  if [[ "$KAFKA_SECURITY" == plaintext ]]; then
    cat <<EOF
listeners=PLAINTEXT://localhost:$KAFKA_PORT,CONTROLLER://localhost:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://localhost:$KAFKA_PORT,CONTROLLER://localhost:$KAFKA_CONTROLLER_PORT
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
EOF
    return 0
  fi
  local admin_password controller_password
  admin_password="$(credential "$ADMIN_PRINCIPAL")"
  # The controller listener authenticates with PLAIN (KRaft controllers cannot use SCRAM, whose users live in
  # the metadata they serve): a static user whose password is new on every start and lives only in this file.
  controller_password="$(random_password)"
  cat <<EOF
# SASL (ADR 0010): clients authenticate with SCRAM-SHA-512; the broker talks to its controller with PLAIN.
listeners=SASL_PLAINTEXT://localhost:$KAFKA_PORT,CONTROLLER://localhost:$KAFKA_CONTROLLER_PORT
advertised.listeners=SASL_PLAINTEXT://localhost:$KAFKA_PORT,CONTROLLER://localhost:$KAFKA_CONTROLLER_PORT
inter.broker.listener.name=SASL_PLAINTEXT
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:SASL_PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT
sasl.enabled.mechanisms=$SCRAM_MECHANISM
sasl.mechanism.inter.broker.protocol=$SCRAM_MECHANISM
listener.name.sasl_plaintext.sasl.enabled.mechanisms=$SCRAM_MECHANISM
listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="$ADMIN_PRINCIPAL" password="$admin_password";
sasl.mechanism.controller.protocol=PLAIN
listener.name.controller.sasl.enabled.mechanisms=PLAIN
listener.name.controller.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="nom-controller" password="$controller_password" user_nom-controller="$controller_password";
# Nothing is allowed unless an ACL allows it; the ACLs come from scripts/kafka/provision.ts.
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
allow.everyone.if.no.acl.found=false
super.users=User:$ADMIN_PRINCIPAL;User:nom-controller
EOF
}

write_properties() {
  mkdir -p "$STATE_DIR" "$DATA_DIR" "$LOG_DIR"
  local security
  security="$(security_properties)"
  ( umask 077; cat >"$PROPS.tmp" ) <<EOF
# Written by scripts/kafka/broker.sh on every start; edits are overwritten.
# A single combined KRaft node (broker + controller) for tests and local development.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@localhost:$KAFKA_CONTROLLER_PORT
$security
log.dirs=$DATA_DIR

num.partitions=3
default.replication.factor=1
min.insync.replicas=1
auto.create.topics.enable=false
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0

# Small machines (2 cores): fewer threads than the defaults.
num.network.threads=2
num.io.threads=4
num.recovery.threads.per.data.dir=1
EOF
  chmod 600 "$PROPS.tmp"
  mv "$PROPS.tmp" "$PROPS"
}

# --- SASL users ------------------------------------------------------------------------------------------

random_password() { head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n'; }

# The password of principal $1 from the credentials file.
credential() {
  local value
  value="$(sed -n "s/^$1=//p" "$CREDENTIALS_FILE" | head -n 1)"
  [[ -n "$value" ]] || die "no password for $1 in $CREDENTIALS_FILE"
  echo "$value"
}

provision() {
  command -v node >/dev/null 2>&1 || die "missing prerequisite: node (the SASL broker's users and ACLs are generated from the force list)"
  [[ -f "$PROVISION_JS" ]] || die "$PROVISION_JS is missing: run 'npm run build' first (or start with --plaintext)"
  node "$PROVISION_JS" "$@"
}

# Makes sure the credentials file holds a password for every SCRAM user (new ones when the force list grows).
ensure_credentials() {
  mkdir -p "$STATE_DIR"
  provision credentials "$CREDENTIALS_FILE" || die "could not write $CREDENTIALS_FILE"
  ( umask 077
    cat >"$ADMIN_PROPS" <<EOF
# nom-admin's client settings for Kafka's CLI tools (--command-config); written by broker.sh on every start.
security.protocol=SASL_PLAINTEXT
sasl.mechanism=$SCRAM_MECHANISM
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="$ADMIN_PRINCIPAL" password="$(credential "$ADMIN_PRINCIPAL")";
EOF
  )
  chmod 600 "$ADMIN_PROPS"
}

# --add-scram arguments for StorageTool: every user of the credentials file, created with the cluster.
scram_format_args() {
  local principal password
  while IFS='=' read -r principal password; do
    [[ -z "$principal" || "$principal" == \#* ]] && continue
    printf '%s\0%s\0' --add-scram "$SCRAM_MECHANISM=[name=$principal,password=$password]"
  done <"$CREDENTIALS_FILE"
}

credential_principals() { sed -n 's/^\([^#=][^=]*\)=.*/\1/p' "$CREDENTIALS_FILE" | sort; }

# After a start in SASL mode: SCRAM users that the credentials file has and the cluster does not yet (the
# force list grew) are added with Kafka's ConfigCommand as nom-admin, one JVM per user.
add_missing_users() {
  local principal
  while read -r principal; do
    [[ -n "$principal" ]] || continue
    log "adding SCRAM user $principal..."
    "$JAVA" -Xmx256m -Dlog4j2.configurationFile="$LOG4J_CONFIG" -Dkafka.logs.dir="$LOG_DIR" -cp "$LIBS_DIR/*" \
      kafka.admin.ConfigCommand --bootstrap-server "localhost:$KAFKA_PORT" --command-config "$ADMIN_PROPS" \
      --alter --entity-type users --entity-name "$principal" \
      --add-config "$SCRAM_MECHANISM=[password=$(credential "$principal")]" >>"$LOG_DIR/users.log" 2>&1 \
      || die "could not add SCRAM user $principal (see $LOG_DIR/users.log)"
    echo "$principal" >>"$SASL_USERS_STAMP"
  done < <(comm -23 <(credential_principals) <(sort "$SASL_USERS_STAMP"))
}

# The data was formatted before: fails when it was formatted without SASL users.
check_formatted_users() {
  [[ -f "$SASL_USERS_STAMP" ]] && grep -qx "$ADMIN_PRINCIPAL" "$SASL_USERS_STAMP" && return 0
  die "the broker data in $DATA_DIR was formatted without SASL users (an earlier plaintext broker); run '$0 reset' once (deletes its topics), or start with --plaintext"
}

new_cluster_id() {
  # A Kafka Uuid: 16 random bytes, URL-safe base64 without padding (22 chars); Kafka avoids a leading '-'.
  local id
  while :; do
    id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
    [[ ${#id} -eq 22 && "$id" != -* && "$id" != AAAAAAAAAAAAAAAAAAAAA* ]] && break
  done
  echo "$id"
}

format_storage() {
  [[ -f "$DATA_DIR/meta.properties" ]] && return 0
  local id
  id="$(new_cluster_id)"
  local -a scram=()
  if [[ "$KAFKA_SECURITY" == sasl ]]; then
    mapfile -d '' -t scram < <(scram_format_args)
  fi
  log "formatting storage in $DATA_DIR (cluster id $id, $(( ${#scram[@]} / 2 )) SCRAM users)..."
  rm -f "$SASL_USERS_STAMP"
  if ! "$JAVA" -Xmx256m -Dlog4j2.configurationFile="$LOG4J_CONFIG" -Dkafka.logs.dir="$LOG_DIR" \
      -cp "$LIBS_DIR/*" kafka.tools.StorageTool format -t "$id" -c "$PROPS" "${scram[@]}" >"$LOG_DIR/format.log" 2>&1; then
    cat "$LOG_DIR/format.log" >&2
    die "formatting the storage failed"
  fi
  if [[ "$KAFKA_SECURITY" == sasl ]]; then credential_principals >"$SASL_USERS_STAMP"; fi
}

# What `start` prints on stdout: KAFKA_BROKERS first (scripts parse it), then in SASL mode the admin's client
# settings and the credentials file of the other principals; last an export line, so that `eval` exports them.
print_env() {
  local port="$1" security="$2"
  echo "KAFKA_BROKERS=localhost:$port"
  if [[ "$security" == sasl ]]; then
    echo "KAFKA_SASL_MECHANISM=scram-sha-512"
    echo "KAFKA_USERNAME=$ADMIN_PRINCIPAL"
    echo "KAFKA_PASSWORD=$(credential "$ADMIN_PRINCIPAL")"
    echo "KAFKA_CREDENTIALS_FILE=$CREDENTIALS_FILE"
    echo "export KAFKA_BROKERS KAFKA_SASL_MECHANISM KAFKA_USERNAME KAFKA_PASSWORD KAFKA_CREDENTIALS_FILE"
  else
    echo "unset KAFKA_SASL_MECHANISM KAFKA_USERNAME KAFKA_PASSWORD KAFKA_CREDENTIALS_FILE"
    echo "export KAFKA_BROKERS"
  fi
}

rotate_logs() {
  local f
  for f in "$SERVER_LOG" "$CONSOLE_LOG"; do
    if [[ -f "$f" ]]; then mv -f "$f" "$f.prev"; fi
  done
  rm -f "$SERVER_LOG".[0-9]*
}

launch() {
  local -a cmd=("$JAVA" -Xms256m -Xmx512m -XX:+UseG1GC -XX:MaxGCPauseMillis=20
    -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true
    -Dlog4j2.configurationFile="$LOG4J_CONFIG" -Dkafka.logs.dir="$LOG_DIR"
    -cp "$LIBS_DIR/*" kafka.Kafka "$PROPS")
  rm -f "$PID_FILE" "$READY_FILE"
  # The child writes its own pid and then execs java, so the pid file holds the JVM's pid even when setsid
  # forks. setsid detaches the broker from this shell's session and terminal (nohup where it is missing).
  local starter=(nohup)
  command -v setsid >/dev/null 2>&1 && starter=(setsid)
  # shellcheck disable=SC2016 # expanded by the child shell
  "${starter[@]}" bash -c 'echo $$ >"$0"; exec "$@"' "$PID_FILE" "${cmd[@]}" \
    </dev/null >>"$CONSOLE_LOG" 2>&1 9>&- &
  local deadline=$((SECONDS + 5))
  while [[ ! -s "$PID_FILE" ]] && (( SECONDS < deadline )); do sleep 0.05; done
  [[ -s "$PID_FILE" ]] || die "the broker process did not start (see $CONSOLE_LOG)"
}

server_started() {
  grep -qF "$READY_MESSAGE" "$SERVER_LOG" 2>/dev/null
}

dump_logs() {
  if [[ -s "$SERVER_LOG" ]]; then
    printf -- '----- last lines of %s -----\n' "$SERVER_LOG" >&2
    tail -n 60 "$SERVER_LOG" >&2
  fi
  if [[ -s "$CONSOLE_LOG" ]]; then
    printf -- '----- last lines of %s -----\n' "$CONSOLE_LOG" >&2
    tail -n 20 "$CONSOLE_LOG" >&2
  fi
}

# Waits until the broker with pid $1 has logged that it started and accepts connections on $2.
wait_ready() {
  local pid="$1" port="$2" deadline=$((SECONDS + KAFKA_START_TIMEOUT))
  while (( SECONDS < deadline )); do
    if ! is_our_broker "$pid"; then
      log "the broker process (pid $pid) exited during start-up"
      return 1
    fi
    if server_started && port_accepts "$port"; then
      echo "$pid" >"$READY_FILE"
      return 0
    fi
    sleep 0.25
  done
  log "the broker was not ready within ${KAFKA_START_TIMEOUT}s"
  return 1
}

cmd_start() {
  is_port_number "$KAFKA_PORT" || die "KAFKA_PORT must be a TCP port number, got '$KAFKA_PORT'"
  is_port_number "$KAFKA_CONTROLLER_PORT" || die "KAFKA_CONTROLLER_PORT must be a TCP port number, got '$KAFKA_CONTROLLER_PORT'"
  [[ "$KAFKA_PORT" != "$KAFKA_CONTROLLER_PORT" ]] || die "KAFKA_PORT and KAFKA_CONTROLLER_PORT must differ"
  mkdir -p "$NOM_KAFKA_HOME"
  take_lock

  local pid port security
  if pid="$(running_pid)"; then
    port="$(configured_port || echo "$KAFKA_PORT")"
    if [[ "$port" != "$KAFKA_PORT" ]]; then
      die "a broker started by this script already runs on port $port (pid $pid); run 'stop' first to use port $KAFKA_PORT"
    fi
    security="$(configured_security || echo "$KAFKA_SECURITY")"
    if [[ "$security" != "$KAFKA_SECURITY" ]]; then
      die "the broker started by this script runs in $security mode (pid $pid); run 'stop' first to start it in $KAFKA_SECURITY mode"
    fi
    if [[ "$(cat "$READY_FILE" 2>/dev/null || true)" == "$pid" ]] && port_accepts "$port"; then
      log "already running (pid $pid)"
    else
      log "a broker started by this script is running (pid $pid) but not ready yet; waiting..."
      if ! wait_ready "$pid" "$port"; then dump_logs; exit 1; fi
    fi
    echo "$pid" >"$PID_FILE"
    print_env "$port" "$security"
    return 0
  fi
  rm -f "$PID_FILE" "$READY_FILE"

  check_prerequisites
  local p owner
  for p in "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT"; do
    if port_in_use "$p"; then
      owner="$(port_owner "$p" || true)"
      die "port $p is already in use${owner:+ by $owner}, not by the broker of $NOM_KAFKA_HOME; free it or choose another with KAFKA_PORT / KAFKA_CONTROLLER_PORT"
    fi
  done

  resolve_libs
  if [[ "$KAFKA_SECURITY" == sasl ]]; then
    ensure_credentials
    if [[ -f "$DATA_DIR/meta.properties" ]]; then check_formatted_users; fi
  fi
  write_properties
  rotate_logs
  format_storage

  local t0=$SECONDS
  log "starting Kafka $(kafka_version) on localhost:$KAFKA_PORT (controller localhost:$KAFKA_CONTROLLER_PORT), logs in $LOG_DIR..."
  launch
  pid="$(tr -dc '0-9' <"$PID_FILE")"
  if ! wait_ready "$pid" "$KAFKA_PORT"; then
    dump_logs
    stop_pid "$pid" >/dev/null 2>&1 || true
    rm -f "$PID_FILE" "$READY_FILE"
    die "the broker did not start; full logs in $LOG_DIR"
  fi
  if [[ "$KAFKA_SECURITY" == sasl ]]; then
    add_missing_users
    if ! KAFKA_BROKERS="localhost:$KAFKA_PORT" KAFKA_SASL_MECHANISM=scram-sha-512 KAFKA_USERNAME="$ADMIN_PRINCIPAL" \
        KAFKA_PASSWORD="$(credential "$ADMIN_PRINCIPAL")" provision acls; then
      stop_pid "$pid" >/dev/null 2>&1 || true
      rm -f "$PID_FILE" "$READY_FILE"
      die "creating the ACLs failed; the broker was stopped (logs in $LOG_DIR)"
    fi
  fi
  log "ready after $((SECONDS - t0))s (pid $pid, $KAFKA_SECURITY)"
  print_env "$KAFKA_PORT" "$KAFKA_SECURITY"
}

# --- stop / status / reset -------------------------------------------------------------------------------

take_lock() {
  if command -v flock >/dev/null 2>&1; then
    exec 9>"$LOCK_FILE"
    flock -w $((KAFKA_START_TIMEOUT + KAFKA_STOP_TIMEOUT + 300)) 9 || die "another broker.sh holds $LOCK_FILE"
  fi
}

stop_pid() {
  local pid="$1" deadline
  kill -TERM "$pid" 2>/dev/null || true
  deadline=$((SECONDS + KAFKA_STOP_TIMEOUT))
  while is_our_broker "$pid" && (( SECONDS < deadline )); do sleep 0.2; done
  if is_our_broker "$pid"; then
    log "the broker (pid $pid) did not stop within ${KAFKA_STOP_TIMEOUT}s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
    deadline=$((SECONDS + 10))
    while is_our_broker "$pid" && (( SECONDS < deadline )); do sleep 0.1; done
    ! is_our_broker "$pid" || die "could not kill the broker (pid $pid)"
  fi
}

do_stop() {
  local pid
  if pid="$(running_pid)"; then
    log "stopping the broker (pid $pid)..."
    stop_pid "$pid"
    log "stopped"
  else
    log "not running"
  fi
  rm -f "$PID_FILE" "$READY_FILE"
}

cmd_stop() {
  [[ -d "$NOM_KAFKA_HOME" ]] || { log "not running"; return 0; }
  take_lock
  do_stop
}

cmd_status() {
  local pid port
  if pid="$(running_pid)"; then
    port="$(configured_port || echo "$KAFKA_PORT")"
    if port_accepts "$port"; then
      echo "running (pid $pid, KAFKA_BROKERS=localhost:$port, $(configured_security || echo unknown))"
      return 0
    fi
    echo "starting (pid $pid, not yet accepting connections on localhost:$port)"
    return 1
  fi
  echo "stopped"
  return 1
}

cmd_reset() {
  [[ -d "$NOM_KAFKA_HOME" ]] || { log "nothing to reset"; return 0; }
  take_lock
  do_stop
  rm -rf "$DATA_DIR"
  rm -f "$SASL_USERS_STAMP"
  log "deleted the broker data in $DATA_DIR; the next start formats a fresh cluster"
}

usage() {
  cat >&2 <<EOF
usage: $0 start [--plaintext]|stop|status|reset

  start   start a single-node Kafka broker (or reuse the one running) with SASL/SCRAM and ACLs; prints
          KAFKA_BROKERS=localhost:<port>, then the admin's KAFKA_SASL_MECHANISM, KAFKA_USERNAME, KAFKA_PASSWORD
          and KAFKA_CREDENTIALS_FILE (every principal's password), and an export line: eval "\$(... start)"
          --plaintext (or KAFKA_SECURITY=plaintext): no authentication, no ACLs
  stop    stop the broker started by this script
  status  print running/stopped (exit 0 when running)
  reset   stop the broker and delete its data

env: NOM_KAFKA_HOME (default $REPO_ROOT/.local/kafka), KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (9093),
     KAFKA_SECURITY (sasl), KAFKA_START_TIMEOUT (120 s), KAFKA_STOP_TIMEOUT (30 s), JAVA_HOME
EOF
}

if [[ "${1:-}" == start && "${2:-}" == --plaintext ]]; then KAFKA_SECURITY=plaintext; fi
[[ "$KAFKA_SECURITY" == sasl || "$KAFKA_SECURITY" == plaintext ]] || die "KAFKA_SECURITY must be sasl or plaintext, got '$KAFKA_SECURITY'"

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  reset) cmd_reset ;;
  -h|--help|help) usage ;;
  *) usage; exit 2 ;;
esac
