#!/usr/bin/env bash
# Points a real Prometheus at a running Crew Redis node and asks it what it scraped: the check MetricsMicroIT makes in
# the build, by hand. Starts `prometheus` (Debian: apt-get install -y prometheus) on a free loopback port with a
# generated configuration in a temporary directory (scrape every second, bearer token from a file), waits until the
# node is scraped, prints `up`, the task counters and the Redis memory gauges, then stops Prometheus and removes the
# directory. Exits 0 when the node was scraped and its Redis memory gauge is there.
#
#   scripts/prometheus-check.sh                          # the node of ./run.sh: http://localhost:8080
#   scripts/prometheus-check.sh http://host:8080         # another node (its root URL; the API is under /crew)
#   TOKEN=<jwt> scripts/prometheus-check.sh ...          # a token of the scrape or admin group; default: minted with
#                                                        # ./mint-token.sh prometheus --group crew-metrics (dev key)
set -euo pipefail
cd "$(dirname "$0")/.."
base="${1:-http://localhost:8080}"
base="${base%/}"
path=/crew/api/v1/metrics
command -v prometheus >/dev/null || { echo "prometheus is not installed: sudo apt-get install -y prometheus" >&2; exit 1; }
token="${TOKEN:-$(./mint-token.sh prometheus --group crew-metrics --ttl 3600)}"
status=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "$base$path" || true)
[ "$status" = 200 ] || { echo "GET $base$path answered $status (not 200): is the node up, and the token of the scrape group?" >&2; exit 1; }

dir=$(mktemp -d)
pid=
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT
port=
for _ in $(seq 1 50); do
  p=$((20000 + RANDOM % 10000))
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then port=$p; break; fi
done
[ -n "$port" ] || { echo "no free port found" >&2; exit 1; }
hostport=${base#*://}
printf '%s' "$token" > "$dir/token"
cat > "$dir/prometheus.yml" <<YAML
global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: crew
    metrics_path: $path
    scheme: ${base%%://*}
    authorization:
      type: Bearer
      credentials_file: $dir/token
    static_configs:
      - targets: ['$hostport']
YAML
prometheus --config.file="$dir/prometheus.yml" --storage.tsdb.path="$dir/data" \
  --web.listen-address="127.0.0.1:$port" > "$dir/prometheus.log" 2>&1 &
pid=$!
api="http://127.0.0.1:$port"
query() { curl -s --get "$api/api/v1/query" --data-urlencode "query=$1"; }
value() { query "$1" | grep -o '"value":\[[^]]*\]' | head -1 | sed 's/.*,"\(.*\)"\]/\1/'; }
for _ in $(seq 1 60); do
  if [ "$(value 'up{job="crew"}')" = 1 ] && [ -n "$(value 'max(crew_redis_memory_used_bytes)')" ]; then
    echo "Prometheus on 127.0.0.1:$port scraped $base$path"
    for q in 'up{job="crew"}' 'sum(crew_tasks_enqueued_total)' 'sum by (outcome) (crew_tasks_attempts_total)' \
             'max(crew_redis_memory_used_bytes)' 'max(crew_redis_memory_max_bytes)' 'max(crew_redis_memory_warning)' \
             'crew_metrics_redis_read_round_trips'; do
      printf '  %-52s %s\n' "$q" "$(query "$q" | grep -o '"result":.*' | head -c 400)"
    done
    exit 0
  fi
  sleep 1
done
echo "Prometheus did not scrape $base$path within 60 s; its targets:" >&2
curl -s "$api/api/v1/targets" >&2 || true
tail -20 "$dir/prometheus.log" >&2
exit 1
