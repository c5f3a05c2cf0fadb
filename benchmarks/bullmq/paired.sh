#!/usr/bin/env bash
# TaskQueue and BullMQ in one run, paired by rep: benchmarks/run.sh tasks-vs-bullmq [reps=3] [n=50000] calls this
# after building the benchmarks. Each rep runs TasksBenchmark (one rep, its own private redis-server) and
# run.sh tasks (one rep, its own private redis-server) back to back, in alternating order (odd reps Java first);
# then prints, per scenario, both medians and the median of the per-rep ratios TaskQueue/BullMQ (min-max).
# Needs CREW_BENCH_CLASSPATH (set by benchmarks/run.sh); JAVA_OPTS and REDIS_SERVER as there.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
reps="${1:-3}"; n="${2:-50000}"
: "${CREW_BENCH_CLASSPATH:?run through benchmarks/run.sh tasks-vs-bullmq}"
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT
java_rep() {
  # shellcheck disable=SC2086 # JAVA_OPTS is a list of options
  java -Xmx2g ${JAVA_OPTS:-} ${REDIS_SERVER:+-Dcrew.test.redis-server=$REDIS_SERVER} -cp "$CREW_BENCH_CLASSPATH" \
    io.mcpcrew.crew.bench.TasksBenchmark 1 "$n" > "$out/java-$1.txt"
}
bullmq_rep() {
  OUT="$out/bullmq-$1.jsonl" "$here/run.sh" tasks 1 "$n" > "$out/bullmq-$1.txt"
}
for rep in $(seq 1 "$reps"); do
  if (( rep % 2 )); then java_rep "$rep"; bullmq_rep "$rep"; else bullmq_rep "$rep"; java_rep "$rep"; fi
  echo "# rep $rep of $reps done, load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
done
node "$here/summarize.mjs" --paired "$out"
