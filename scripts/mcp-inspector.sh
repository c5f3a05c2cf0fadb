#!/usr/bin/env bash
# Drives the running application's MCP endpoint with the MCP Inspector's CLI (npm @modelcontextprotocol/inspector,
# a third-party MCP client): lists the tools, enqueues a task with enqueue_task and reads it with get_task, waiting
# for it to finish. Needs the built-in demonstration handler "echo" (./run.sh enables it).
#
#   scripts/mcp-inspector.sh [URL]          URL of the MCP endpoint, default http://localhost:8080/crew/mcp
#
#   TOKEN=<bearer token>       a tenant's token (default: ./mint-token.sh demo, the dev key ./run.sh made)
#   QUEUE=<queue>              the queue the task goes to (default: inspector)
#   MCP_INSPECTOR_DIR=<dir>    where the Inspector is installed, never globally (default: target/mcp-inspector)
#
# Exit 0 when tools/list names every tool (and no tool schema has an error-severity portability problem),
# enqueue_task answers an id and get_task answers that task SUCCEEDED with its payload as the result; otherwise
# it says what differed and exits 1. Needs node and npm (20 or later); the first run installs the Inspector.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
url="${1:-http://localhost:8080/crew/mcp}"
queue="${QUEUE:-inspector}"
dir="${MCP_INSPECTOR_DIR:-$root/target/mcp-inspector}"
# the version npm serves here; its package declares Node >= 22.19, and its CLI mode runs on Node 20
version=2.12.0
tools=(enqueue_task enqueue_flow get_task cancel_task queue_stats publish_event read_events store_embeddings
  lookup_embeddings create_session get_session update_session list_user_sessions check_rate_limit)

fail() { echo "mcp-inspector: $*" >&2; exit 1; }
command -v node >/dev/null 2>&1 || fail "node is not installed: install Node.js 20 or later (apt-get install -y nodejs npm)"
command -v npm >/dev/null 2>&1 || fail "npm is not installed: install it (apt-get install -y npm)"
token="${TOKEN:-}"
if [ -z "$token" ]; then
  token="$("$root/mint-token.sh" demo)" || fail "no TOKEN given and ./mint-token.sh could not mint one (run ./run.sh once)"
fi

bin="$dir/node_modules/.bin/mcp-inspector"
installed="$(node -p "try { require('$dir/node_modules/@modelcontextprotocol/inspector/package.json').version } catch (e) { '' }")"
if [ "$installed" != "$version" ]; then
  echo "installing @modelcontextprotocol/inspector@$version into $dir"
  mkdir -p "$dir"
  npm install --prefix "$dir" --no-audit --no-fund --ignore-scripts --loglevel=error \
    "@modelcontextprotocol/inspector@$version" >&2 || fail "npm could not install @modelcontextprotocol/inspector@$version"
fi

inspect() {
  "$bin" --cli "$url" --transport http --header "Authorization: Bearer $token" "$@"
}
# reads JSON on stdin and runs the JavaScript check $1 on it (as `r`); prints what it returns
check() {
  node -e 'let s = ""; process.stdin.on("data", d => s += d).on("end", () => {
    let r; try { r = JSON.parse(s) } catch (e) { console.error("not JSON: " + s); process.exit(1) }
    const out = (new Function("r", process.argv[1]))(r);
    if (out === false || out === undefined) { console.error("unexpected answer: " + s); process.exit(1) }
    if (out !== true) console.log(out) })' "$1"
}

echo "== tools/list ($url)"
listed="$(inspect --method tools/list --strict)" || fail "tools/list failed (exit $?): $listed"
names="$(echo "$listed" | check 'return r.tools.map(t => t.name).sort().join(" ")')"
for t in "${tools[@]}"; do
  [[ " $names " == *" $t "* ]] || fail "tools/list does not name $t: $names"
done
echo "$names"

echo "== tools/call enqueue_task"
payload='{"from":"mcp-inspector","n":42}'
enqueued="$(inspect --method tools/call --tool-name enqueue_task --tool-arg "queue=$queue" name=echo "payload=$payload")" \
  || fail "enqueue_task failed: $enqueued"
id="$(echo "$enqueued" | check 'return !r.isError && typeof r.structuredContent.id === "string" && r.structuredContent.id')"
echo "id $id"

echo "== tools/call get_task (wait up to 30 s)"
task="$(inspect --method tools/call --tool-name get_task --tool-arg "queue=$queue" "id=$id" wait=30)" \
  || fail "get_task failed: $task"
echo "$task" | check 'const t = r.structuredContent; return !r.isError && t.state === "SUCCEEDED"
  && t.result.from === "mcp-inspector" && t.result.n === 42 && ("state " + t.state + ", result " + JSON.stringify(t.result))'
echo "mcp-inspector: ok"
