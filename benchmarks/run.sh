#!/usr/bin/env bash
# Runs one component's benchmark on a private redis-server, beside raw Redis in the same run.
#   benchmarks/run.sh <name> [args...]     e.g. benchmarks/run.sh ratelimit
#   benchmarks/run.sh tasks-vs-bullmq [reps] [n]   TaskQueue and BullMQ (benchmarks/bullmq) paired by rep
# <name> maps to io.mcpcrew.crew.bench.<Name>Benchmark (ratelimit -> RatelimitBenchmark).
# Builds what it needs first (skipping tests). Record the machine's load alongside the figures.
# JAVA_OPTS passes JVM options, e.g. -Dredis.crew.coalesce.lanes=1 (any redis.crew.* key) or -Dcrew.bench.commandstats=1.
# REDIS_SERVER names the redis-server executable (default: redis-server on the PATH).
set -euo pipefail
cd "$(dirname "$0")/.."
name="${1:?usage: benchmarks/run.sh <name> [args...]  (names: tasks events embeddings sessions ratelimit coalescer scrape console tasks-vs-bullmq; see docs/benchmarks.md)}"; shift || true
class="io.mcpcrew.crew.bench.${name^}Benchmark"
if [ "$name" = console ]; then
  # ConsoleBenchmark runs the WAR on Payara Micro: build the web module too
  mvn -B -q -DskipTests -pl web-module,benchmarks -am package >/dev/null
else
  mvn -B -q -DskipTests -pl benchmarks -am package >/dev/null
fi
echo "# $(date -u +%FT%TZ) $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1)"
classpath="benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"
if [ "$name" = tasks-vs-bullmq ]; then
  CREW_BENCH_CLASSPATH="$classpath" exec benchmarks/bullmq/paired.sh "$@"
fi
# shellcheck disable=SC2086 # JAVA_OPTS is a list of options
exec java -Xmx2g ${JAVA_OPTS:-} ${REDIS_SERVER:+-Dcrew.test.redis-server=$REDIS_SERVER} -cp "$classpath" "$class" "$@"
