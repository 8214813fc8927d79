#!/usr/bin/env bash
# Collection benchmark: collects a simulated organization from the loopback fake AWS endpoint (50 ms per call)
# and compares the wall time with the minimum the configured concurrency allows, with the mean calls in flight.
# The collector is the Release CLI with collect's defaults, in its own process (set PE_BENCH_IN_PROCESS=1 to run it
# inside the test process instead).
# Usage: bench/collect/run.sh [accounts] [concurrency] [latency-ms]   (defaults: 1000 32 50)
set -euo pipefail
cd "$(dirname "$0")/../.."
repo="$(pwd)"
out="$(mktemp)"
dotnet build src/PolicyEngine.Cli -c Release -v quiet -nologo >/dev/null
cli=""
[ -n "${PE_BENCH_IN_PROCESS:-}" ] || cli="$repo/src/PolicyEngine.Cli/bin/Release/net10.0/policy-engine.dll"
PE_BENCH_ACCOUNTS="${1:-1000}" PE_BENCH_CONCURRENCY="${2:-32}" PE_BENCH_LATENCY_MS="${3:-50}" PE_BENCH_OUT="$out" PE_BENCH_CLI="$cli" \
  dotnet test tests/PolicyEngine.Aws.Tests -c Release --filter "FullyQualifiedName~CollectionBenchmark" >/dev/null
cat "$out"
rm -f "$out"
