#!/usr/bin/env bash
# Collection benchmark: collects a simulated organization from the loopback fake AWS endpoint (50 ms per call)
# and compares the wall time with the minimum the configured concurrency allows.
# Usage: bench/collect/run.sh [accounts] [concurrency] [latency-ms]   (defaults: 1000 32 50)
set -euo pipefail
cd "$(dirname "$0")/../.."
out="$(mktemp)"
PE_BENCH_ACCOUNTS="${1:-1000}" PE_BENCH_CONCURRENCY="${2:-32}" PE_BENCH_LATENCY_MS="${3:-50}" PE_BENCH_OUT="$out" \
  dotnet test tests/PolicyEngine.Aws.Tests -c Release --filter "FullyQualifiedName~CollectionBenchmark" >/dev/null
cat "$out"
rm -f "$out"
