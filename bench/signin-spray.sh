#!/usr/bin/env bash
# Password spray against the sign-in form, with and without the throttle (RELIABILITY.md, part 2).
# One attacker address (X-Forwarded-For 203.0.113.66, believed from loopback as from nginx)
# posts one wrong password to 50 account names in turn, as fast as one connection goes, for
# SECONDS; meanwhile colleagues at 198.51.100.7 sign in every 3 s, taking turns on the three demo
# accounts (each account every 9 s, within its own 10 a minute). Prints, per
# run: attempts that reached the password check, attempts throttled (429), and the colleague's
# sign-in times. Usage: bash bench/signin-spray.sh [seconds=30] [runs=3]   (after a Release build)
set -euo pipefail
seconds=${1:-30}; runs=${2:-3}
here=$(cd "$(dirname "$0")/.." && pwd)
dll=$here/MerchantPortal/bin/Release/net10.0/MerchantPortal.dll
work=$(mktemp -d); trap 'kill $app 2>/dev/null || true; rm -rf "$work"' EXIT

post() { # address email password -> "status seconds"
  local jar=$work/jar.$1 page token
  page=$(curl -s -c "$jar" -H "X-Forwarded-For: $1" "$base/Account/Login")
  token=$(sed -n 's/.*name="__RequestVerificationToken" value="\([^"]*\)".*/\1/p' <<<"$page" | head -1)
  curl -s -o /dev/null -b "$jar" -H "X-Forwarded-For: $1" -w '%{http_code} %{time_total}\n' \
    --data-urlencode "_handler=login" --data-urlencode "__RequestVerificationToken=$token" \
    --data-urlencode "Input.Email=$2" --data-urlencode "Input.Password=$3" "$base/Account/Login"
}

for mode in off on; do
  port=$((20000 + RANDOM % 20000)); base=http://127.0.0.1:$port
  limits=(); [ $mode = off ] && limits=(--SignInThrottle:PerAddress=1000000 --SignInThrottle:PerAccount=1000000)
  (cd "$here/MerchantPortal" && ASPNETCORE_ENVIRONMENT=Development Logging__LogLevel__Default=Warning \
    exec dotnet "$dll" --urls "$base" --ConnectionStrings:MerchantPortal="Data Source=$work/$mode.db" "${limits[@]}" >"$work/$mode.log" 2>&1) &
  app=$!
  until curl -sf -o /dev/null "$base/Account/Login"; do sleep 0.5; done
  for run in $(seq "$runs"); do
    : >"$work/spray"; : >"$work/legit"
    end=$((SECONDS + seconds))
    ( n=0; while [ $SECONDS -lt $end ]; do post 203.0.113.66 "user$((n % 50))@spray.test" 'Summer2026!' >>"$work/spray"; n=$((n + 1)); done ) &
    ( n=0; accounts=(merchant1 merchant2 admin); while [ $SECONDS -lt $end ]; do post 198.51.100.7 "${accounts[$((n % 3))]}@demo.local" 'Demo!2345' >>"$work/legit"; n=$((n + 1)); sleep 3; done ) &
    wait %2 %3 2>/dev/null || wait
    checked=$(grep -c '^200' "$work/spray" || true); throttled=$(grep -c '^429' "$work/spray" || true)
    legit=$(awk '{print $2}' "$work/legit" | sort -n | awk '{a[NR]=$1} END {printf "%d sign-ins, median %.0f ms, range %.0f-%.0f ms", NR, a[int((NR+1)/2)]*1000, a[1]*1000, a[NR]*1000}')
    ok=$(grep -c '^302' "$work/legit" || true)
    echo "throttle $mode, run $run, ${seconds}s: spray checked $checked (=$((checked * 60 / seconds))/min), throttled $throttled; colleagues $legit, $ok redirected (signed in)"
  done
  echo "throttle $mode: log lines saying throttled: $(grep -c 'throttled for' "$work/$mode.log" || true)"
  kill $app; wait $app 2>/dev/null || true
done
