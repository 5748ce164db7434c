#!/usr/bin/env bash
# A burst of orders on SQLite under open dashboards (RELIABILITY.md, part 6): the app on a fresh
# SQLite file with 1,000 bench merchants, CIRCUITS dashboards over MERCHANTS of them, then RATE
# orders/s written by another process for SECONDS. Prints the probe's report: tabs the server
# closed, deliveries missing, write-to-screen percentiles, app CPU. Extra arguments go to the app
# (e.g. --Logging:LogLevel:Microsoft.AspNetCore.SignalR.HubConnectionContext=Debug); the app's log
# is kept as sqlite-burst-app.log in the current folder.
# Usage: bash bench/sqlite-burst.sh [circuits=3000] [merchants=300] [rate=500] [seconds=30]   (after a Release build)
set -euo pipefail
circuits=${1:-3000}; merchants=${2:-300}; rate=${3:-500}; seconds=${4:-30}; shift $(( $# < 4 ? $# : 4 ))
here=$(cd "$(dirname "$0")/.." && pwd)
dll=$here/MerchantPortal/bin/Release/net10.0/MerchantPortal.dll
bench=$here/bench/MerchantPortal.Bench/bin/Release/net10.0/MerchantPortal.Bench.dll
work=$(mktemp -d); app=; out=$PWD/sqlite-burst-app.log
trap '[ -n "$app" ] && kill $app 2>/dev/null; cp "$work/app.log" "$out" 2>/dev/null; rm -rf "$work"' EXIT
ulimit -n 20000
port=$((20000 + RANDOM % 20000)); base=http://127.0.0.1:$port

start_app() {
  (cd "$here/MerchantPortal" && ASPNETCORE_ENVIRONMENT=Development Logging__LogLevel__Default=Warning \
    SignInThrottle__PerAddress=1000000 SignInThrottle__PerAccount=1000000 \
    exec dotnet "$dll" --urls "$base" --ConnectionStrings:MerchantPortal="Data Source=$work/app.db" "$@" >>"$work/app.log" 2>&1) &
  app=$!
  until curl -sf -o /dev/null "$base/health/ready"; do sleep 0.5; done
}

start_app "$@"                      # migrates the file
kill $app; wait $app 2>/dev/null || true
dotnet "$bench" prepare-db --database "$work/app.db" --merchants 1000 >/dev/null
start_app "$@"
pid=$(pgrep -f "MerchantPortal.dll --urls $base")
dotnet "$bench" probe --url "$base" --circuits "$circuits" --bench-merchants "$merchants" --app-pid "$pid" \
  --hold 10s --database "$work/app.db" --write-rate "$rate" --write-for "${seconds}s" | grep -v ' held, 0 failed of '
