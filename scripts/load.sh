#!/usr/bin/env bash
# Load test of a local `roadcover serve` with wrk (Debian package wrk),
# bounded in time and sent to 127.0.0.1 only.
#
#   scripts/load.sh                 # builds, starts a server on a fresh SQLite file, runs both loads
#   ROADCOVER_DB=postgres://… scripts/load.sh
#
# Env: DURATION (default 10s), CONNS (default 64), THREADS (default 2),
# ADDR (default 127.0.0.1:18080).
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-10s}
CONNS=${CONNS:-64}
THREADS=${THREADS:-2}
ADDR=${ADDR:-127.0.0.1:18080}
case "$ADDR" in 127.0.0.1:*|localhost:*) ;; *) echo "load.sh: loopback addresses only" >&2; exit 2 ;; esac
command -v wrk >/dev/null || { echo "load.sh: install wrk (apt-get install -y wrk)" >&2; exit 2; }

work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
go build -o "$work/roadcover" ./cmd/roadcover
db=${ROADCOVER_DB:-$work/load.db}
ROADCOVER_LOG_LEVEL=warn "$work/roadcover" serve --addr "$ADDR" --db "$db" --no-samples 2>"$work/serve.log" &
pid=$!
for _ in $(seq 100); do curl -fs "http://$ADDR/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
token=$(sed -n 's/^ROADCOVER_ADMIN_TOKEN=//p' "$work/serve.log")
[ -n "$token" ] || { echo "load.sh: no admin token (store not empty?)" >&2; cat "$work/serve.log" >&2; exit 1; }

cat >"$work/decide.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $token"
local f = io.open("$work/body.json"); wrk.body = f:read("*a"); f:close()
LUA
cat >"$work/cases.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $token"
local f = io.open("$work/body.json"); local tpl = f:read("*a"); f:close()
local n = 0
request = function()
  n = n + 1
  local b = string.gsub(tpl, "Load 0", "Load " .. n .. "-" .. math.random(1, 1000000000))
  return wrk.format(nil, "/v1/cases", nil, b)
end
LUA
go run ./loadgen -print-body >"$work/body.json"

echo "== POST /v1/assistance/decisions ($DURATION, $CONNS connections, $THREADS threads)"
wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency -s "$work/decide.lua" "http://$ADDR/v1/assistance/decisions"
echo "== POST /v1/cases, durable ($DURATION, $CONNS connections)"
wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency -s "$work/cases.lua" "http://$ADDR/v1/cases"
