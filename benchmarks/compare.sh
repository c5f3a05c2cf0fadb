#!/usr/bin/env bash
# Compares one component's benchmark between two builds, paired by rep: each pair runs the benchmark once on the
# other tree and once on this one, seconds apart, in alternating order. Every row that reports "N.NNx raw" (the
# case against raw Redis measured in the same process) is compared as the ratio of those ratios, this tree over the
# other: 1.00 = unchanged, 0.95 = 5% slower than the other build. Rows without a raw baseline compare their rates.
#   benchmarks/compare.sh <other-tree> <pairs> <name> [args...]
#   e.g. git worktree add /tmp/base main && benchmarks/compare.sh /tmp/base 3 tasks 1
# <name> and [args] are those of benchmarks/run.sh; give args for a single rep, the pairs are the reps.
# SUMMARIZE=<dir> prints the table again from the raw outputs of an earlier comparison (the last line names it).
set -euo pipefail
cd "$(dirname "$0")/.."
other="$(cd "${1:?usage: benchmarks/compare.sh <other-tree> <pairs> <name> [args...]}" && pwd)"
pairs="${2:?pairs}"; name="${3:?name}"; shift 3
class="io.mcpcrew.crew.bench.${name^}Benchmark"
here="$(pwd)"
out="$(mktemp -d)"
if [ -n "${SUMMARIZE:-}" ]; then out="$SUMMARIZE"; else
for tree in "$other" "$here"; do
  (cd "$tree" && mvn -B -q -DskipTests -pl benchmarks -am package) >"$out/build.log" 2>&1 \
    || { cat "$out/build.log"; exit 1; }
done
echo "# $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1)"
echo "# other: $other ($(git -C "$other" rev-parse --short HEAD)), this: $here ($(git rev-parse --short HEAD))"
for p in $(seq 1 "$pairs"); do
  if [ $((p % 2)) -eq 1 ]; then first="$other"; second="$here"; a=other; b=this
  else first="$here"; second="$other"; a=this; b=other; fi
  (cd "$first" && java -Xmx2g ${JAVA_OPTS:-} -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" \
    "$class" "$@") >"$out/$a.$p" 2>&1
  (cd "$second" && java -Xmx2g ${JAVA_OPTS:-} -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" \
    "$class" "$@") >"$out/$b.$p" 2>&1
  echo "# pair $p done, load $(cut -d' ' -f1-3 /proc/loadavg)"
done
fi
# per row of each output: its "N.NNx raw" (the case against raw Redis in the same process) as "<label>", and its
# rate ("N <unit>/s") as "<label> [/s]", compared between runs seconds apart; a "## section" line prefixes labels
extract() {
  awk '/^## /{sec=substr($0,4)" | "; next}
       /^#/ {next}
       { l=$0; sub(/  +[0-9].*/, "", l) }
       match($0, /[0-9.]+x raw/) { print sec l "\t" substr($0,RSTART,RLENGTH-5) }
       match($0, /[0-9.]+ (ops|events|tasks|vectors|checks|jobs)\/s/) { v=substr($0,RSTART,RLENGTH); sub(/ .*/, "", v)
         print sec l " [/s]\t" v }' "$1"
}
for p in $(seq 1 "$pairs"); do
  extract "$out/other.$p" >"$out/o.$p.tsv"; extract "$out/this.$p" >"$out/t.$p.tsv"
done
printf '%-70s %8s %8s %8s   %s\n' "case (x raw: other, this)" other this "this/other" "per pair"
cut -f1 "$out/o.1.tsv" | while IFS= read -r label; do
  os=(); ts=(); rs=()
  for p in $(seq 1 "$pairs"); do
    o=$(awk -F'\t' -v l="$label" '$1==l{print $2; exit}' "$out/o.$p.tsv")
    t=$(awk -F'\t' -v l="$label" '$1==l{print $2; exit}' "$out/t.$p.tsv")
    [ -n "$o" ] && [ -n "$t" ] || continue
    os+=("$o"); ts+=("$t"); rs+=("$(awk -v a="$t" -v b="$o" 'BEGIN{printf "%.3f", (b>0? a/b : 0)}')")
  done
  [ ${#rs[@]} -gt 0 ] || continue
  med() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END{print (NR%2? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
  short="$label"; [ ${#short} -le 70 ] || short="...${label: -67}"
  printf '%-70s %8.2f %8.2f %8.3f   %s\n' "$short" "$(med "${os[@]}")" "$(med "${ts[@]}")" \
    "$(med "${rs[@]}")" "${rs[*]}"
done
echo "# raw outputs: $out"
