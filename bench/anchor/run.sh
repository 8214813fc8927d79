#!/usr/bin/env bash
# The two-rule anchor workload, whole process, every engine on the same generated file (docs/benchmarks.md):
# policy-engine with bench/anchor/rules, a hand-written System.Text.Json program, jq, Node + json-p3 and cfn-guard 3.1.1.
# Usage: bench/anchor/run.sh [data-dir]       ANCHOR_RESOURCES (default 100000) Config items; ANCHOR_SKIP_GUARD=1 skips
# cfn-guard (minutes and several GB). policy-engine runs twice: the Release build (JIT) and the native tool as
# deploy/pack-tool.sh packs it and `dotnet tool install` installs it (needs clang and zlib's headers;
# ANCHOR_SKIP_NATIVE=1 skips it). Needs dotnet, jq, node and npm. Every engine prints or reports the same pass/fail
# counts; the script checks them and prints one row per engine: wall and CPU (user+sys) seconds, peak RSS, load average.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
data="${1:-${TMPDIR:-/tmp}/policyengine-anchor-bench}"
items="${ANCHOR_RESOURCES:-100000}"
mkdir -p "$data"

# shellcheck source=../build-release.sh
source "$repo/bench/build-release.sh"
# shellcheck source=../../.ci/install-tool.sh
source "$repo/.ci/install-tool.sh"
if [ "${ANCHOR_SKIP_NATIVE:-0}" != 1 ]; then
  pack_and_install_tool "$data/native" > "$data/install.log" 2>&1 || { cat "$data/install.log" >&2; exit 1; }
fi
(cd "$here" && npm install --no-package-lock --no-audit --no-fund > "$data/npm.log" 2>&1) || { cat "$data/npm.log" >&2; exit 1; }
guard="$here/node_modules/@cdklabs/cdk-validator-cfnguard/bin/ubuntu/x86_64/cfn-guard"
chmod +x "$guard"

file="$data/items-$items.json"
[ -f "$file" ] || dotnet "$repo/bench/PolicyEngine.OrgGenerator/bin/Release/net10.0/PolicyEngine.OrgGenerator.dll" \
  --out "$file" --accounts 0 --regions 4 --resources "$items"
echo "file: $file ($(stat -c %s "$file") bytes); $("$guard" --version); jq $(jq --version); node $(node --version)"

run() {
  local name=$1
  shift
  local before after
  before=$(cut -d' ' -f1 /proc/loadavg)
  /usr/bin/time -f '%e %U %S %M' -o "$data/time.txt" "$@" > "$data/$name.out" 2> "$data/$name.err" || true
  after=$(cut -d' ' -f1 /proc/loadavg)
  read -r wall user sys rss < <(tail -n 1 "$data/time.txt")
  printf '| %s | %s | %s | %s | %s-%s |\n' "$name" "$wall" "$(echo "$user + $sys" | bc)" "$((rss / 1024))" "$before" "$after"
}

echo "| engine | wall s | CPU s | peak RSS MB | load avg |"
echo "|---|---:|---:|---:|---|"
run policy-engine dotnet "$repo/src/PolicyEngine.Cli/bin/Release/net10.0/policy-engine.dll" evaluate "$file" \
  --rules "$repo/bench/anchor/rules" --format json -o "$data/policy-engine.json"
if [ "${ANCHOR_SKIP_NATIVE:-0}" != 1 ]; then
  run policy-engine-native "$data/native/policy-engine" evaluate "$file" --rules "$repo/bench/anchor/rules" --format json \
    -o "$data/policy-engine-native.json"
fi
run system-text-json dotnet "$repo/bench/PolicyEngine.Baselines/bin/Release/net10.0/PolicyEngine.Baselines.dll" anchor "$file"
run jq jq -r -f "$here/anchor.jq" "$file"
run json-p3 node "$here/anchor-json-p3.mjs" "$file"
if [ "${ANCHOR_SKIP_GUARD:-0}" != 1 ]; then
  run cfn-guard "$guard" validate --rules "$here/anchor.guard" --data "$file" --show-summary none
fi

# Same answers: the reference program's counts, jq's and json-p3's lines, and policy-engine's report summary.
expected="$(cat "$data/system-text-json.out")"
for peer in jq json-p3; do
  [ "$(cat "$data/$peer.out")" = "$expected" ] || { echo "$peer disagrees: $(cat "$data/$peer.out")" >&2; exit 1; }
done
if [ "${ANCHOR_SKIP_NATIVE:-0}" != 1 ] && ! cmp -s "$data/policy-engine.json" "$data/policy-engine-native.json"; then
  echo "the native tool's report differs from the JIT build's" >&2
  exit 1
fi
echo "all engines: $expected; policy-engine: $(jq -c '.summary.byOutcome | {pass, fail}' "$data/policy-engine.json")"
