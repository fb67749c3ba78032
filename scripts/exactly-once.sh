#!/usr/bin/env bash
# Exactly-once from the outside (issue 11): start `serve` with a fault that resets role
# connections, connect one role, raise N alarms and N events through the control channel while
# the resets happen, then stop the role with SIGINT and count what its --json summary says it
# received: exactly N alarm occurrences and N events, no duplicates.
#
#   scripts/exactly-once.sh [N] [FAULT]      (defaults: 10000, resetAfter:frames=1500,times=4)
#
# Needs a build (npm run build). Uses loopback only, on free ports. Exit 0 when the counts match.
set -euo pipefail
N="${1:-10000}"
FAULT="${2:-resetAfter:frames=1500,times=4}"
RATE="${RATE:-5000}"
CLI=(node "$(dirname "$0")/../dist/cli/main.js")
work="$(mktemp -d)"
serve_pid=""; connect_pid=""
cleanup() {
  [ -n "$connect_pid" ] && kill "$connect_pid" 2>/dev/null || true
  [ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

"${CLI[@]}" serve --port 0 --control 127.0.0.1:0 --fault "$FAULT" >"$work/serve.log" 2>&1 &
serve_pid=$!
for _ in $(seq 1 300); do grep -q 'entities' "$work/serve.log" && grep -q 'control channel on' "$work/serve.log" && break; sleep 0.1; done
port="$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$work/serve.log")"
control="$(sed -n 's/.*control channel on http:\/\/\([^ ]*\).*/\1/p' "$work/serve.log")"
[ -n "$port" ] && [ -n "$control" ] || { echo "serve did not start:"; cat "$work/serve.log"; exit 1; }
echo "serve on 127.0.0.1:$port, control on $control, fault $FAULT"

"${CLI[@]}" connect --port "$port" --json --stay --timeout 60s >"$work/summary.json" 2>"$work/connect.err" &
connect_pid=$!
"${CLI[@]}" control "$control" wait-synced --timeout 60s >/dev/null

"${CLI[@]}" control "$control" raise-alarm --count "$N" --rate "$RATE" >/dev/null &
alarms_pid=$!
"${CLI[@]}" control "$control" fire-event --count "$N" --rate "$RATE" >/dev/null
wait "$alarms_pid"
"${CLI[@]}" control "$control" wait-acked --timeout 120s >/dev/null

kill -INT "$connect_pid"
set +e; wait "$connect_pid"; code=$?; set -e
connect_pid=""
resets="$(grep -c 'closed: resetAfter' "$work/serve.log" || true)"
echo "connect exited $code after $resets connection resets"
summary="$(cat "$work/summary.json")"
echo "$summary" | node -e '
  const n = Number(process.argv[1]);
  const s = JSON.parse(require("fs").readFileSync(0, "utf8"));
  const l = s.live;
  console.log(`alarms: ${l.alarms.raised} raised (${l.alarms.distinct} distinct, ${l.alarms.duplicates} duplicates, ${l.alarms.retriggers} retriggers on reconnection); events: ${l.events.fired} fired (${l.events.distinct} distinct, ${l.events.duplicates} duplicates)`);
  const ok = s.signal === "SIGINT" && l.alarms.distinct === n && l.alarms.duplicates === 0 && l.events.distinct === n && l.events.duplicates === 0;
  console.log(ok ? `exactly once: ${n} alarms and ${n} events, none doubled` : "NOT exactly once");
  process.exit(ok ? 0 : 1);
' "$N"
[ "$code" = 130 ] || { echo "connect should exit 130 on SIGINT, got $code"; exit 1; }
