#!/usr/bin/env bash
# Reruns the JSONPath comparison: generates the 100k-resource snapshot, runs the BenchmarkDotNet classes for
# PolicyEngine.JsonPath (and Newtonsoft.Json SelectTokens), then json-p3 under Node on the same file.
# Usage: bench/jsonpath/run.sh [data-dir]      (default: $TMPDIR/policyengine-jsonpath-bench)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
data="${1:-${TMPDIR:-/tmp}/policyengine-jsonpath-bench}"
export JSONPATH_BENCH_DIR="$data"
mkdir -p "$data"

project="$repo/bench/PolicyEngine.Benchmarks/PolicyEngine.Benchmarks.csproj"
if ! dotnet build "$project" -c Release -v quiet -nologo > "$data/build.log" 2>&1; then
  # The benchmark project also references projects other teams are still writing. When those don't build,
  # build the JSONPath benchmarks alone from a throw-away project outside the repository.
  echo "bench/PolicyEngine.Benchmarks does not build (see $data/build.log); using a JSONPath-only project" >&2
  standalone="$data/standalone"
  mkdir -p "$standalone"
  cat > "$standalone/PolicyEngine.Benchmarks.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <ImplicitUsings>enable</ImplicitUsings>
    <Nullable>enable</Nullable>
    <LangVersion>latest</LangVersion>
    <InvariantGlobalization>true</InvariantGlobalization>
    <AssemblyName>PolicyEngine.Benchmarks</AssemblyName>
    <RootNamespace>PolicyEngine.Benchmarks</RootNamespace>
    <EnableDefaultCompileItems>false</EnableDefaultCompileItems>
  </PropertyGroup>
  <ItemGroup>
    <Compile Include="$repo/bench/PolicyEngine.Benchmarks/Program.cs" />
    <Compile Include="$repo/bench/PolicyEngine.Benchmarks/JsonPath/**/*.cs" />
    <PackageReference Include="BenchmarkDotNet" Version="0.15.8" />
    <PackageReference Include="Newtonsoft.Json" Version="13.0.4" />
    <ProjectReference Include="$repo/src/PolicyEngine.JsonPath/PolicyEngine.JsonPath.csproj" />
  </ItemGroup>
</Project>
XML
  project="$standalone/PolicyEngine.Benchmarks.csproj"
fi

echo "== generating data in $data"
dotnet run --project "$project" -c Release --no-launch-profile -- --generate-jsonpath-data "$data"

echo "== BenchmarkDotNet (ShortRun): PolicyEngine.JsonPath vs Newtonsoft.Json"
(cd "$data" && dotnet run --project "$project" -c Release --no-launch-profile -- \
  --filter '*JsonPathBenchmarks*' '*DocumentModelBenchmarks*' --artifacts "$data/BenchmarkDotNet.Artifacts")

echo "== json-p3 under Node"
(cd "$here" && npm install --no-package-lock --no-audit --no-fund)
node "$here/run-json-p3.mjs" "$data" | tee "$data/json-p3.md"

echo "== results: $data/BenchmarkDotNet.Artifacts/results/*.md and $data/json-p3.md"
