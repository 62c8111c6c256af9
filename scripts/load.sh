#!/usr/bin/env bash
# Load test of a local `roadcover serve` with wrk (Debian package wrk),
# bounded in time and sent to 127.0.0.1 only. scripts/LOAD.md says how each figure
# there was made with it.
#
#   scripts/load.sh                          # fresh SQLite file, both loads
#   PG=1 scripts/load.sh                     # throwaway PostgreSQL cluster, both loads
#   ROADCOVER_DB=postgres://… scripts/load.sh
#   ONLY=decisions CONNS=16 scripts/load.sh  # one load
#   PG=1 ONLY=claims scripts/load.sh         # first notices of insurance claims, settled and stored
#
# Env: DURATION (default 10s), CONNS (default 64), THREADS (default 2),
# RUNS (default 3: each load runs this often; take the median), ONLY
# (decisions, cases or claims), POLICIES (default 500: the policies the
# claims are reported under, one car each), ADDR (default 127.0.0.1:18080), PG=1 (initdb and
# pg_ctl from PG_BIN, default /usr/lib/postgresql/15/bin, in a temporary
# directory; as root the cluster runs as the postgres user; fsync and
# synchronous_commit stay on), GOGC (passed to the server as it is).
# Every run prints the load average before it: the machine may be shared.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-10s}
CONNS=${CONNS:-64}
THREADS=${THREADS:-2}
RUNS=${RUNS:-3}
ONLY=${ONLY:-}
POLICIES=${POLICIES:-500}
ADDR=${ADDR:-127.0.0.1:18080}
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
case "$ADDR" in 127.0.0.1:*|localhost:*) ;; *) echo "load.sh: loopback addresses only" >&2; exit 2 ;; esac
case "$RUNS" in [1-9]|[1-9][0-9]) ;; *) echo "load.sh: RUNS from 1 to 99" >&2; exit 2 ;; esac
command -v wrk >/dev/null || { echo "load.sh: install wrk (apt-get install -y wrk)" >&2; exit 2; }

work=$(mktemp -d)
pid=""
pgdata=""
cleanup() {
	[ -n "$pid" ] && { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }
	[ -n "$pgdata" ] && pgctl stop -m fast >/dev/null 2>&1 || true
	rm -rf "$work"
}
trap cleanup EXIT
asowner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
pgctl() { asowner "$PG_BIN/pg_ctl" -D "$pgdata" "$@"; }

go build -o "$work/roadcover" ./cmd/roadcover
db=${ROADCOVER_DB:-$work/load.db}
if [ "${PG:-}" = 1 ]; then
	pgdata=$work/pg
	mkdir -p "$pgdata"
	[ "$(id -u)" = 0 ] && chown postgres "$work" "$pgdata"
	asowner "$PG_BIN/initdb" -D "$pgdata" -U postgres --auth=trust -E UTF8 >/dev/null
	port=$((20000 + RANDOM % 20000))
	cat >>"$pgdata/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$work'
max_connections = 100
shared_buffers = 128MB
fsync = on
synchronous_commit = on
CONF
	pgctl -l "$work/pg.log" -w start >/dev/null
	db="postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"
fi
ROADCOVER_LOG_LEVEL=${ROADCOVER_LOG_LEVEL:-warn} "$work/roadcover" serve --addr "$ADDR" --db "$db" --no-samples >"$work/serve.out" 2>"$work/serve.log" &
pid=$!
for _ in $(seq 100); do curl -fs "http://$ADDR/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
token=$(sed -n 's/^ROADCOVER_ADMIN_TOKEN=//p' "$work/serve.out")
[ -n "$token" ] || { echo "load.sh: no admin token (store not empty?)" >&2; cat "$work/serve.out" "$work/serve.log" >&2; exit 1; }

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

# Claims: POLICIES policies (one car each), then first notices under a
# random one of them on a random day of 2026 (the claim's settlement is made
# and stored with it). A handler's token is made for them.
if [ "$ONLY" = claims ]; then
	ctoken=$(curl -fs -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
		--data '{"role": "claims_handler", "label": "load", "payment_limit": "50000"}' "http://$ADDR/v1/tokens" |
		sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
	[ -n "$ctoken" ] || { echo "load.sh: no claims handler token" >&2; exit 1; }
	: >"$work/policies.txt"
	for i in $(seq "$POLICIES"); do
		sed -e "s/LPSED3KA4NL012345/$(printf 'YV1LS%012d' "$i")/" -e "s/ABC12D/$(printf 'LD%05d' "$i")/" examples/claims/new-policy.json |
			curl -fs -H "Authorization: Bearer $ctoken" -H 'Content-Type: application/json' --data @- "http://$ADDR/v1/policies" |
			sed -n 's/^{"id":"\([^"]*\)".*/\1/p' >>"$work/policies.txt"
	done
	[ "$(wc -l <"$work/policies.txt")" = "$POLICIES" ] || { echo "load.sh: policies not all made" >&2; exit 1; }
	cat >"$work/claims.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $ctoken"
local f = io.open("examples/claims/report.json"); local tpl = f:read("*a"); f:close()
tpl = string.gsub(tpl, '"reported_at": "2026%-03%-11"', '"reported_at": "2026-11-30"')
local ids = {}
for line in io.lines("$work/policies.txt") do ids[#ids + 1] = line end
local threads = 0
function setup(thread) threads = threads + 1; thread:set("n", threads) end
function init(args) math.randomseed(os.time() * 64 + tonumber(wrk.thread:get("n"))) end
request = function()
  local day = string.format('"2026-%02d-%02d"', math.random(2, 11), math.random(1, 28))
  local b = string.gsub(tpl, '"P1"', '"' .. ids[math.random(1, #ids)] .. '"')
  b = string.gsub(b, '"2026%-03%-10"', day)
  return wrk.format(nil, "/v1/claims", nil, b)
end
LUA
fi

load() { # name path script
	for i in $(seq "$RUNS"); do
		echo "== $1, run $i of $RUNS ($DURATION, $CONNS connections, $THREADS threads); load average $(cut -d' ' -f1-3 /proc/loadavg)"
		wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency -s "$3" "http://$ADDR$2"
	done
}
echo "server: $(curl -fs "http://$ADDR/readyz")"
[ "$ONLY" = "" ] || [ "$ONLY" = decisions ] && load "POST /v1/assistance/decisions" /v1/assistance/decisions "$work/decide.lua"
[ "$ONLY" = "" ] || [ "$ONLY" = cases ] && load "POST /v1/cases, durable" /v1/cases "$work/cases.lua"
[ "$ONLY" = claims ] && load "POST /v1/claims, settled and durable, $POLICIES policies" /v1/claims "$work/claims.lua"
exit 0
