#!/usr/bin/env bash
# Server-side cost of one of the library's Lua scripts, per run and per item, on a busy ("hot") private redis-server:
# redis-benchmark sends the same EVALSHA 16 at a time on one connection, and INFO commandstats gives the time Redis
# spent in it (no network, no client). Use it to compare script versions; ratios to raw Redis come from run.sh.
#   benchmarks/script-cost.sh ratelimit      [items-per-run=8] [rounds=7] [git-rev ...]
#   benchmarks/script-cost.sh session-update [items-per-run=8] [rounds=7] [git-rev ...]
# With git revisions (e.g. HEAD~5), each revision's version of the script is measured too, rounds interleaved;
# prints the median µs per item of each. ratelimit: one check per item on its own key, all with the same policy
# (window 50 ms, so elements expire and are trimmed as under steady load); session-update: one field set in a
# session hash of 5 fields per item. SHARED=1 sends the rate limit's arguments once for all checks (version 2.1).
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:?usage: benchmarks/script-cost.sh ratelimit|session-update [items-per-run] [rounds] [git-rev ...]}"
n="${2:-8}"; rounds="${3:-7}"; shift $(( $# < 3 ? $# : 3 ))
revs=("WORKTREE" "$@")
command -v redis-benchmark >/dev/null || { echo "redis-benchmark not found (apt-get install redis-tools)" >&2; exit 1; }
dir=$(mktemp -d); trap 'redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true; rm -rf "$dir"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --dir "$dir" --daemonize yes \
  --logfile "$dir/log" >/dev/null
for _ in $(seq 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
R=core/src/main/resources/io/mcpcrew/crew
source_of() { # rev -> script text
  local rev=$1
  show() { if [ "$rev" = WORKTREE ]; then cat "$1"; else git show "$rev:$1"; fi; }
  case "$what" in
    ratelimit) show "$R/ratelimit/sliding_window.lua" ;;
    session-update) show "$R/sessions/lib.lua"; show "$R/sessions/update.lua" ;;
    *) echo "unknown script: $what" >&2; exit 2 ;;
  esac
}
keys=(); args=()
case "$what" in
  ratelimit)
    for i in $(seq "$n"); do keys+=("rl{x}$i"); done
    if [ "${SHARED:-0}" = 1 ]; then args=(100000000 50000 1); else
      for i in $(seq "$n"); do args+=(100000000 50000 1); done; fi ;;
  session-update)
    for i in $(seq "$n"); do
      keys+=("s{u$i}" "i{u$i}"); args+=(6 "u$i.x" 65536 0 1 d:counter 7)
    done ;;
esac
setup() {
  redis-cli -p "$port" flushall >/dev/null
  if [ "$what" = session-update ]; then
    for i in $(seq "$n"); do
      redis-cli -p "$port" hset "s{u$i}" dataBytes 100 userId u ttlMs 3600000 d:counter 5 d:theme '"dark"' \
        d:locale '"en"' d:cart 3 d:roles '["a"]' >/dev/null
    done
  fi
}
declare -A sha results
for rev in "${revs[@]}"; do sha[$rev]=$(redis-cli -p "$port" script load "$(source_of "$rev")"); done
for r in $(seq "$rounds"); do
  for rev in "${revs[@]}"; do
    setup
    redis-cli -p "$port" config resetstat >/dev/null
    redis-benchmark -p "$port" -n 20000 -P 16 -c 1 -q evalsha "${sha[$rev]}" "${#keys[@]}" "${keys[@]}" "${args[@]}" \
      >/dev/null
    us=$(redis-cli -p "$port" info commandstats | tr -d '\r' | awk -F'[:,=]' -v n="$n" \
      '/^cmdstat_evalsha:/ {printf "%.2f", $5 / $3 / n}')
    results[$rev]+="$us "
  done
done
echo "# $what, $n item(s) per run, $rounds rounds of 20000 runs; $(redis-server --version | cut -d' ' -f1-3); load $(cut -d' ' -f1-3 /proc/loadavg)"
for rev in "${revs[@]}"; do
  med=$(echo ${results[$rev]} | tr ' ' '\n' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  printf '%-10s median %6s us per item   (rounds: %s)\n' "$rev" "$med" "${results[$rev]}"
done
