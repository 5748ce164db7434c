#!/usr/bin/env bash
# Issue 11's before/after check of the load harness: the same sweep cell (push:1s, 2,000 dashboards)
# run alternately with the hand-written blazorpack codec (BEFORE, a commit) and with SignalR's
# MessagePack protocol (this checkout), three times each, then the medians side by side. Alternating
# spreads the shared machine's drift over both sides. About 20 minutes.
#   bash bench/harness-before-after.sh [BEFORE_COMMIT] [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
before_commit="${1:-49e9894}"   # the harness measuring itself, still on the hand-written codec
out="${2:-bench/results/issue-11-harness}"
tree="$(mktemp -d)/before"
git worktree add --detach "$tree" "$before_commit" >/dev/null
trap 'git worktree remove --force "$tree"' EXIT
dotnet build -c Release bench/MerchantPortal.Bench -nologo -clp:ErrorsOnly
dotnet build -c Release "$tree/bench/MerchantPortal.Bench" -nologo -clp:ErrorsOnly
mkdir -p "$out"
ulimit -n 20000
run() { # checkout, name
  local dir; dir="$(mktemp -d)"
  (cd "$1" && dotnet run -c Release --no-build --project bench/MerchantPortal.Bench -- sweep --sizes 2000 --merchants 1000 \
    --modes push:1s --idle 20s --write-rate 10 --write-for 40s --repeats 1 --out "$dir" >"$dir/log.txt" 2>&1)
  cp "$dir/results.json" "$out/$2.json"
  echo "$2 done"
}
for i in 1 2 3; do
  run "$tree" "before-$i"
  run "$PWD" "after-$i"
done
python3 - "$out" <<'PY'
import json, glob, statistics as st, sys
out = sys.argv[1]
fields = [("Held", "held", 0), ("Failed", "failed", 0), ("StartupPerSecond", "start-up /s", 0),
          ("HeapPerCircuitKiB", "app heap KiB/circuit", 0), ("IdleCpuPercent", "app CPU % idle", 1), ("P99Ms", "p99 ms", 0),
          ("HarnessHeapPerCircuitKiB", "harness heap KiB/circuit", 1), ("HarnessRssPerCircuitKiB", "harness RSS KiB/circuit", 1),
          ("HarnessStartupCpuMsPerCircuit", "harness CPU ms/circuit opened", 2), ("HarnessIdleCpuPercent", "harness CPU % idle", 1),
          ("HarnessWriteCpuPercent", "harness CPU % writing", 1)]
rows = {side: [json.load(open(f))[0] for f in sorted(glob.glob(f"{out}/{side}-*.json"))] for side in ("before", "after")}
def cell(values, decimals):
    f = lambda v: f"{v:,.{decimals}f}"
    m, lo, hi = st.median(values), min(values), max(values)
    return m, f(m) if f(lo) == f(hi) else f"{f(m)} ({f(lo)}–{f(hi)})"
print("| figure (median, range) | before: hand-written codec | after: official protocol | after ÷ before |")
print("|---|--:|--:|--:|")
for key, label, decimals in fields:
    (mb, b), (ma, a) = cell([r[key] for r in rows["before"]], decimals), cell([r[key] for r in rows["after"]], decimals)
    print(f"| {label} | {b} | {a} | {ma / mb:.2f}× |" if mb else f"| {label} | {b} | {a} | – |")
PY
