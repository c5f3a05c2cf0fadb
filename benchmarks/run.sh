#!/usr/bin/env bash
# Runs one component's benchmark on a private redis-server, beside raw Redis in the same run.
#   benchmarks/run.sh <name> [args...]     e.g. benchmarks/run.sh ratelimit
#   benchmarks/run.sh tasks-vs-bullmq [reps] [n]   TaskQueue and BullMQ (benchmarks/bullmq) paired by rep
#   benchmarks/run.sh mcp [seconds] [reps] [threads]   an MCP tool call beside the same REST call, on Payara Micro
# <name> maps to io.mcpcrew.crew.bench.<Name>Benchmark (ratelimit -> RatelimitBenchmark).
# Builds what it needs first (skipping tests). Record the machine's load alongside the figures.
# JAVA_OPTS passes JVM options, e.g. -Dredis.crew.coalesce.lanes=1 (any redis.crew.* key) or -Dcrew.bench.commandstats=1.
# REDIS_SERVER names the redis-server executable (default: redis-server on the PATH).
set -euo pipefail
cd "$(dirname "$0")/.."
name="${1:?usage: benchmarks/run.sh <name> [args...]  (names: tasks events embeddings sessions ratelimit coalescer scrape mcp console durability cluster tasks-vs-bullmq; see docs/benchmarks.md)}"; shift || true
class="io.mcpcrew.crew.bench.${name^}Benchmark"
modules=benchmarks
# McpBenchmark and ConsoleBenchmark run the WAR on Payara Micro: build the web module too
case "$name" in mcp|console) modules=web-module,benchmarks ;; esac
mvn -B -q -DskipTests -pl "$modules" -am package >/dev/null
echo "# $(date -u +%FT%TZ) $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1)"
classpath="benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"
if [ "$name" = tasks-vs-bullmq ]; then
  CREW_BENCH_CLASSPATH="$classpath" exec benchmarks/bullmq/paired.sh "$@"
fi
# shellcheck disable=SC2086 # JAVA_OPTS is a list of options
exec java -Xmx2g ${JAVA_OPTS:-} ${REDIS_SERVER:+-Dcrew.test.redis-server=$REDIS_SERVER} -cp "$classpath" "$class" "$@"
