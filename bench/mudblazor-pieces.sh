#!/usr/bin/env bash
# Prices each MudBlazor piece per idle circuit (BENCHMARKS.md, "What each MudBlazor piece costs"):
# for every page of bench/MudBlazorPieces, a fresh app process, 1,000 anonymous circuits held
# idle by the probe, its report saved as bench/results/mudblazor-pieces/<page>.txt.
# Usage: bash bench/mudblazor-pieces.sh [circuits] [hold]
set -euo pipefail
cd "$(dirname "$0")/.."
circuits="${1:-1000}"; hold="${2:-30s}"
ulimit -n $((circuits + 2000))
dotnet build -c Release -nologo -clp:ErrorsOnly bench/MudBlazorPieces >/dev/null
dotnet build -c Release -nologo -clp:ErrorsOnly bench/MerchantPortal.Bench >/dev/null
out=bench/results/mudblazor-pieces; mkdir -p "$out"
port=5330
for page in / /theme /snackbar-dialog /popover /providers /chrome /classes; do
  name=$([ "$page" = / ] && echo floor || echo "${page#/}")
  dotnet bench/MudBlazorPieces/bin/Release/net10.0/MudBlazorPieces.dll --urls "http://127.0.0.1:$port" >/dev/null 2>&1 & app=$!
  until curl -sf "http://127.0.0.1:$port/" >/dev/null; do sleep 0.2; done
  dotnet run -c Release --no-build --project bench/MerchantPortal.Bench -- probe --url "http://127.0.0.1:$port" \
    --anonymous --path "$page" --circuits "$circuits" --app-pid "$app" --hold "$hold" > "$out/$name.txt" 2>&1 || true
  kill "$app"; wait "$app" 2>/dev/null || true
  echo "$page: $(grep -E 'heap per held circuit|CPU during hold' "$out/$name.txt" | tr '\n' ' ')"
done
