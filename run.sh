#!/usr/bin/env bash
# Crew Redis: build the WAR and run it on Payara Micro 6 — one command.
#
#   ./run.sh                 # http://localhost:8080/crew/console/ and http://localhost:8080/crew/api/v1/...
#   PORT=9090 ./run.sh       # another HTTP port
#   ./run.sh --no-build      # skip the Maven build (use the WAR already built)
#
# Redis: REDIS_CREW_* variables are used when set (see docs/configuration.md). When none of REDIS_CREW_HOST, REDIS_CREW_PORT,
# REDIS_CREW_MODE, REDIS_CREW_NODES is set and nothing answers on localhost:6379, a private redis-server is started
# on 6379 (LOCAL_REDIS_PORT) with its data under target/run/redis, and stopped with the application.
# Ctrl-C stops both.
# The demonstration task handlers echo and sleep are enabled (REDIS_CREW_TASKS_DEMO_HANDLERS_ENABLED=true unless
# set); the EAR and the WAR leave them off by default.
set -euo pipefail
cd "$(dirname "$0")"

PORT="${PORT:-8080}"
LOCAL_REDIS_PORT="${LOCAL_REDIS_PORT:-6379}"   # where to look for (or start) a local Redis when none is configured
BUILD=1
for arg in "$@"; do
  case "$arg" in
    --no-build) BUILD=0 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "unknown option: $arg (try --help)" >&2; exit 2 ;;
  esac
done

PAYARA_VERSION=6.2025.10
WAR=web-module/target/crew.war
MICRO=web-module/target/payara-micro-$PAYARA_VERSION.jar
RUN_DIR=target/run
mkdir -p "$RUN_DIR"

if [ "$BUILD" = 1 ] || [ ! -f "$WAR" ] || [ ! -f "$MICRO" ]; then
  echo "building the WAR (mvn package, tests skipped)..."
  mvn -B -q -DskipTests -pl web-module -am package
fi

redis_pid=""
micro_pid=""
cleanup() {
  trap - INT TERM EXIT
  if [ -n "$micro_pid" ] && kill -0 "$micro_pid" 2>/dev/null; then
    echo; echo "stopping Payara Micro..."; kill "$micro_pid" 2>/dev/null || true; wait "$micro_pid" 2>/dev/null || true
  fi
  if [ -n "$redis_pid" ] && kill -0 "$redis_pid" 2>/dev/null; then
    echo "stopping the private redis-server..."; kill "$redis_pid" 2>/dev/null || true; wait "$redis_pid" 2>/dev/null || true
  fi
}
trap cleanup INT TERM EXIT

answers_ping() { # host port
  { exec 3<>"/dev/tcp/$1/$2"; } 2>/dev/null || return 1
  printf 'PING\r\n' >&3
  local reply; IFS= read -r -t 2 reply <&3 || true
  exec 3>&- 3<&-
  [[ "$reply" == +PONG* ]]
}

if [ -z "${REDIS_CREW_HOST:-}${REDIS_CREW_PORT:-}${REDIS_CREW_MODE:-}${REDIS_CREW_NODES:-}" ]; then
  if answers_ping 127.0.0.1 "$LOCAL_REDIS_PORT"; then
    echo "using the Redis that answers on localhost:$LOCAL_REDIS_PORT"
  else
    command -v redis-server >/dev/null || { echo "no Redis on localhost:$LOCAL_REDIS_PORT and no redis-server to start one:" \
      "install it (sudo apt-get install -y redis-server) or set REDIS_CREW_HOST/REDIS_CREW_PORT" >&2; exit 1; }
    mkdir -p "$RUN_DIR/redis"
    echo "no Redis configured or answering on localhost:$LOCAL_REDIS_PORT: starting a private redis-server on $LOCAL_REDIS_PORT" \
      "(data in $RUN_DIR/redis, log in $RUN_DIR/redis/redis.log)"
    redis-server --port "$LOCAL_REDIS_PORT" --bind 127.0.0.1 --dir "$RUN_DIR/redis" --logfile redis.log --save 60 1 \
      --appendonly no --daemonize no &
    redis_pid=$!
    for _ in $(seq 1 50); do answers_ping 127.0.0.1 "$LOCAL_REDIS_PORT" && break; sleep 0.1; done
    answers_ping 127.0.0.1 "$LOCAL_REDIS_PORT" || { echo "the private redis-server did not start; see $RUN_DIR/redis/redis.log" >&2; exit 1; }
  fi
  export REDIS_CREW_HOST=127.0.0.1 REDIS_CREW_PORT="$LOCAL_REDIS_PORT"
else
  echo "using Redis from REDIS_CREW_* (host ${REDIS_CREW_HOST:-localhost}, port ${REDIS_CREW_PORT:-6379}, mode ${REDIS_CREW_MODE:-standalone})"
fi

# Tenant API security (MicroProfile JWT): unless a verification key is configured, use a local dev key pair
# (created once in .dev-keys/, never committed) and print a token for tenant "demo".
if [ -z "${MP_JWT_VERIFY_PUBLICKEY:-}${MP_JWT_VERIFY_PUBLICKEY_LOCATION:-}" ]; then
  if [ ! -f .dev-keys/private.pem ]; then
    mkdir -p .dev-keys && chmod 700 .dev-keys
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out .dev-keys/private.pem 2>/dev/null
    openssl pkey -in .dev-keys/private.pem -pubout -out .dev-keys/public.pem
    echo "created a local dev key pair for tokens in .dev-keys/ (not committed)"
  fi
  export MP_JWT_VERIFY_PUBLICKEY_LOCATION="file://$PWD/.dev-keys/public.pem"
  export MP_JWT_VERIFY_ISSUER="${MP_JWT_VERIFY_ISSUER:-crew-redis-dev}"
  DEMO_TOKEN=$(./mint-token.sh demo)
fi

# writes accepted while Redis is down are journaled here (written to Redis after a crash and restart)
export REDIS_CREW_FALLBACK_JOURNAL_DIR="${REDIS_CREW_FALLBACK_JOURNAL_DIR:-$PWD/target/run/journal}"
export REDIS_CREW_TASKS_DEMO_HANDLERS_ENABLED="${REDIS_CREW_TASKS_DEMO_HANDLERS_ENABLED:-true}"

echo "starting Payara Micro $PAYARA_VERSION on port $PORT (log: $RUN_DIR/payara-micro.log)..."
HZ_PHONE_HOME_ENABLED=false java ${JAVA_OPTS:--Xmx512m} -jar "$MICRO" --deploy "$WAR" --port "$PORT" --nocluster --nohostaware --disablephonehome \
  --logtofile "$RUN_DIR/payara-micro.log" > "$RUN_DIR/payara-micro.out" 2>&1 &
micro_pid=$!

started=$(date +%s)
until curl -fs -o /dev/null "http://localhost:$PORT/health/started" 2>/dev/null; do
  if ! kill -0 "$micro_pid" 2>/dev/null; then
    echo "Payara Micro exited; last lines of $RUN_DIR/payara-micro.out:" >&2; tail -30 "$RUN_DIR/payara-micro.out" >&2; exit 1
  fi
  if grep -q "Exception while loading the app" "$RUN_DIR/payara-micro.out" 2>/dev/null; then
    echo "the application failed to deploy:" >&2
    sleep 1
    grep -m1 -o "Exception while loading the app : .*" "$RUN_DIR/payara-micro.out" | sed 's/ -- .*//' >&2 \
      || echo "see $RUN_DIR/payara-micro.out" >&2
    exit 1
  fi
  if [ $(( $(date +%s) - started )) -gt 180 ]; then echo "not started after 180 s; see $RUN_DIR/payara-micro.out" >&2; exit 1; fi
  sleep 0.5
done
cat <<MSG

Crew Redis is up after $(( $(date +%s) - started )) s.
  Console    http://localhost:$PORT/crew/console/   (sign in with a bearer token)
  API        http://localhost:$PORT/crew/api/v1/status   (tenants: /crew/api/v1/tenants/{tenant}/...)
  Health     http://localhost:$PORT/health/ready  /health/live  /health/started
  OpenAPI    http://localhost:$PORT/openapi
MSG
if [ -n "${DEMO_TOKEN:-}" ]; then
  cat <<MSG
  Token for tenant "demo" (24 h; more with ./mint-token.sh <tenant>, an admin's with ./mint-token.sh ops --admin):
    export TOKEN=$DEMO_TOKEN
    curl -H "Authorization: Bearer \$TOKEN" http://localhost:$PORT/crew/api/v1/tenants/demo/whoami
MSG
fi
echo "Ctrl-C stops it."

wait "$micro_pid"
