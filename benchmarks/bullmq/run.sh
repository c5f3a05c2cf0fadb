#!/usr/bin/env bash
# BullMQ through the scenarios TasksBenchmark runs, on a private redis-server: the comparison for TaskQueue.
#   benchmarks/bullmq/run.sh [set] [reps=3] [n=50000]
# set: tasks (default) - bulk enqueue, and drain of n no-op jobs at concurrency 1, 10 and 50, each with the default
#        priority and with random priorities: the scenarios of benchmarks/run.sh tasks;
#      all - those, plus drain at concurrency 100, drain keeping completed jobs, addloop and addpar (n/5 jobs);
#      or one scenario with its flags, quoted: "drain --conc 50 --prio" (see bullmq_bench.mjs).
# Installs the pinned packages (npm ci) when node_modules is missing or older than package-lock.json, starts
# redis-server (REDIS_SERVER, default redis-server on the PATH: the same the Java benchmarks start) on a free port
# with the Java harness's settings, FLUSHALLs before every scenario run, prints one summary line per scenario
# (median of the reps) and stops the server. OUT=<file> also keeps the raw JSON lines.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
set_name="${1:-tasks}"; reps="${2:-3}"; n="${3:-50000}"
for tool in node npm redis-cli; do
  command -v "$tool" >/dev/null || { echo "$tool not found (Node 18+ with npm; redis-cli: apt-get install redis-tools)" >&2; exit 1; }
done
redis="${REDIS_SERVER:-redis-server}"
command -v "$redis" >/dev/null || { echo "$redis not found (apt-get install redis-server)" >&2; exit 1; }

if [ ! -f "$here/node_modules/.package-lock.json" ] || [ "$here/package-lock.json" -nt "$here/node_modules/.package-lock.json" ]; then
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error >&2)
fi

case "$set_name" in
  tasks) scenarios=("bulk" "bulk --prio" "drain --conc 1" "drain --conc 10" "drain --conc 50"
                    "drain --conc 1 --prio" "drain --conc 10 --prio" "drain --conc 50 --prio") ;;
  all)   scenarios=("bulk" "bulk --prio" "drain --conc 1" "drain --conc 10" "drain --conc 50" "drain --conc 100"
                    "drain --conc 1 --prio" "drain --conc 10 --prio" "drain --conc 50 --prio" "drain --conc 50 --keep"
                    "addloop --n $((n / 5))" "addpar --n $((n / 5))") ;;
  *)     scenarios=("$set_name") ;;
esac

dir=$(mktemp -d)
port=$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')
"$redis" --port "$port" --bind 127.0.0.1 --save '' --appendonly no --dir "$dir" --daemonize no --protected-mode no \
  --logfile "$dir/redis.log" &
redis_pid=$!
trap 'kill "$redis_pid" 2>/dev/null || true; wait "$redis_pid" 2>/dev/null || true; rm -rf "$dir"' EXIT
for _ in $(seq 150); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
redis-cli -p "$port" ping >/dev/null || { echo "redis-server did not start: $(tail -5 "$dir/redis.log")" >&2; exit 1; }

echo "# BullMQ: ${scenarios[*]}; $n jobs per run, $reps reps; $("$redis" --version | cut -d' ' -f1-3) on port $port;" \
  "$(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
results="$dir/results.jsonl"
for rep in $(seq 1 "$reps"); do
  for s in "${scenarios[@]}"; do
    redis-cli -p "$port" flushall >/dev/null
    # shellcheck disable=SC2086 # a scenario is its name and flags
    node "$here/bullmq_bench.mjs" $s --n "$n" --port "$port" >> "$results" || { echo "failed: $s" >&2; exit 1; }
  done
done
if [ -n "${OUT:-}" ]; then cp "$results" "$OUT"; fi
node "$here/summarize.mjs" "$results"
