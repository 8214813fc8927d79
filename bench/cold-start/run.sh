#!/usr/bin/env bash
# Cold start of one evaluate process (docs/benchmarks.md, "Cold start"): `--help`, the bare read pass of the sample,
# and `evaluate SAMPLE --format json` from the ordinary Release build (JIT), from a ReadyToRun publish, and from the
# tool as users install it: deploy/pack-tool.sh's packages installed with `dotnet tool install --tool-path` from a
# local feed, once portable (the JIT build, which every platform gets) and once native (the Native AOT build, which
# `dotnet tool install` picks on this machine's RID; it needs clang and zlib's headers; COLD_START_SKIP_AOT=1 skips it).
# Each is run RUNS times (default 5) under /usr/bin/time; the median wall and CPU (user+sys) seconds and peak RSS are
# printed, with the load average before and after.
# Usage: bench/cold-start/run.sh [sample.json] [data-dir]
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
sample="${1:-$repo/samples/typical-gaps.json}"
data="${2:-${TMPDIR:-/tmp}/policyengine-cold-start}"
runs="${RUNS:-5}"
mkdir -p "$data"

# shellcheck source=../build-release.sh
source "$repo/bench/build-release.sh"
rid="$(dotnet --info | sed -n 's/^ *RID: *//p' | head -n 1)"
if ! dotnet publish "$repo/src/PolicyEngine.Cli" -c Release -r "$rid" --self-contained false -p:PublishReadyToRun=true \
    -o "$data/r2r" -v quiet -nologo > "$data/publish.log" 2>&1; then
  cat "$data/publish.log" >&2
  exit 1
fi

# shellcheck source=../../.ci/install-tool.sh
source "$repo/.ci/install-tool.sh"
pack_and_install_tool "$data/portable" --portable > "$data/install.log" 2>&1 || { cat "$data/install.log" >&2; exit 1; }
if [[ "${COLD_START_SKIP_AOT:-}" != 1 ]]; then
  pack_and_install_tool "$data/native" > "$data/install.log" 2>&1 || { cat "$data/install.log" >&2; exit 1; }
  # The read pass compiled natively too: the parse time beside the native tool's.
  if ! dotnet publish "$repo/bench/PolicyEngine.Baselines" -c Release -r "$rid" -p:PublishAot=true \
      -o "$data/baselines-aot" -v quiet -nologo > "$data/publish-baselines.log" 2>&1; then
    cat "$data/publish-baselines.log" >&2
    exit 1
  fi
fi
pe="$repo/src/PolicyEngine.Cli/bin/Release/net10.0/policy-engine.dll"
base="$repo/bench/PolicyEngine.Baselines/bin/Release/net10.0/PolicyEngine.Baselines.dll"

# median LABEL -- COMMAND...: runs the command $runs times, prints the median of each figure.
median() {
  local label=$1
  shift 2
  local before
  before=$(cut -d' ' -f1 /proc/loadavg)
  : > "$data/times.txt"
  for _ in $(seq "$runs"); do
    /usr/bin/time -f '%e %U %S %M' -o "$data/time.txt" "$@" > /dev/null 2>&1 || true
    tail -n 1 "$data/time.txt" >> "$data/times.txt"
  done
  python3 - "$label" "$before" "$(cut -d' ' -f1 /proc/loadavg)" "$data/times.txt" <<'PY'
import statistics, sys
label, before, after, path = sys.argv[1:5]
rows = [list(map(float, line.split())) for line in open(path) if line.strip()]
wall = statistics.median(r[0] for r in rows)
cpu = statistics.median(r[1] + r[2] for r in rows)
rss = statistics.median(r[3] for r in rows) / 1024
print(f"{label:<28} wall {wall:6.2f} s   cpu {cpu:6.2f} s   rss {rss:6.0f} MB   load {before} -> {after}")
PY
}

median "--help (JIT)" -- dotnet "$pe" --help
median "read pass of the sample" -- dotnet "$base" read-pass "$sample"
median "evaluate (JIT)" -- dotnet "$pe" evaluate "$sample" --format json --fail-on none
median "--help (ReadyToRun)" -- "$data/r2r/policy-engine" --help
median "evaluate (ReadyToRun)" -- "$data/r2r/policy-engine" evaluate "$sample" --format json --fail-on none
median "--help (portable tool)" -- "$data/portable/policy-engine" --help
median "evaluate (portable tool)" -- "$data/portable/policy-engine" evaluate "$sample" --format json --fail-on none
if [[ "${COLD_START_SKIP_AOT:-}" != 1 ]]; then
  median "read pass (native)" -- "$data/baselines-aot/PolicyEngine.Baselines" read-pass "$sample"
  median "--help (native tool)" -- "$data/native/policy-engine" --help
  median "evaluate (native tool)" -- "$data/native/policy-engine" evaluate "$sample" --format json --fail-on none
fi
