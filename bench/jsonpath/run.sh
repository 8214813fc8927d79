#!/usr/bin/env bash
# Reruns the JSONPath comparison: generates the 100k-resource snapshot, runs the BenchmarkDotNet classes for
# PolicyEngine.JsonPath (and Newtonsoft.Json SelectTokens), then json-p3 under Node on the same file.
# Usage: bench/jsonpath/run.sh [data-dir]      (default: $TMPDIR/policyengine-jsonpath-bench)
# JSONPATH_BENCH_FILTER overrides the BenchmarkDotNet filter (default: the three JSONPath classes).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
data="${1:-${TMPDIR:-/tmp}/policyengine-jsonpath-bench}"
export JSONPATH_BENCH_DIR="$data"
mkdir -p "$data"

bench="$repo/bench/PolicyEngine.Benchmarks"
project="$bench/PolicyEngine.Benchmarks.csproj"
if ! dotnet build "$project" -c Release -v quiet -nologo > "$data/build.log" 2>&1; then
  cat "$data/build.log" >&2
  echo "bench/PolicyEngine.Benchmarks does not build; fix it before benchmarking (log: $data/build.log)" >&2
  exit 1
fi

echo "== generating data in $data"
dotnet run --project "$project" -c Release --no-build --no-launch-profile -- --generate-jsonpath-data "$data"

echo "== BenchmarkDotNet (ShortRun): PolicyEngine.JsonPath vs Newtonsoft.Json"
uptime
# BenchmarkDotNet finds the project to build from the working directory, so run from the project folder.
# The filters name the namespace: a bare '*JsonPathBenchmarks*' also matches Scripting's PredicateVsJsonPathBenchmarks.
read -r -a filters <<< "${JSONPATH_BENCH_FILTER:-*.JsonPath.JsonPathBenchmarks.* *.JsonPath.JsonPathIndexBenchmarks.* *.JsonPath.DocumentModelBenchmarks.*}"
(cd "$bench" && dotnet run --project "$project" -c Release --no-build --no-launch-profile -- \
  --filter "${filters[@]}" --artifacts "$data/BenchmarkDotNet.Artifacts")

echo "== json-p3 under Node"
uptime
(cd "$here" && npm install --no-package-lock --no-audit --no-fund)
node "$here/run-json-p3.mjs" "$data" | tee "$data/json-p3.md"
uptime

echo "== results: $data/BenchmarkDotNet.Artifacts/results/*.md and $data/json-p3.md"
