#!/usr/bin/env bash
# Whole-process figures of policy-engine against the bare read pass (docs/benchmarks.md, "Whole process").
# Usage: bench/scale/run.sh [data-dir]
#   SCALE_ACCOUNTS   accounts of the full-pack rows (default "10 100 1000"; add 10000 for the 578 MB-class run)
#   SCALE_RESOURCES  Config items of the resource rows, two anchor rules (default "10000 100000 1000000")
#   SCALE_REGIONS    governed regions (default 4); SCALE_FULL_RESOURCES Config items in the full-pack files (default 100000)
#   SCALE_MILLION    accounts of extra full-pack rows with 1,000,000 Config items (default none; "1000 10000" for the
#                    822 MB and 1.43 GB files)
# Full-pack rows run policy-engine as a user does (files over 64 MB are evaluated in parts) and, as
# policy-engine-whole, with --part-size 0 (the whole file in one document).
# Each row is one run under /usr/bin/time: wall and CPU (user+sys) seconds, peak RSS, the file size and the load
# average before and after. It writes results.tsv and growth.svg in the data dir (plot.py draws the SVG).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
data="${1:-${TMPDIR:-/tmp}/policyengine-scale-bench}"
mkdir -p "$data"
accounts="${SCALE_ACCOUNTS:-10 100 1000}"
resources="${SCALE_RESOURCES:-10000 100000 1000000}"
regions="${SCALE_REGIONS:-4}"
full_resources="${SCALE_FULL_RESOURCES:-100000}"

# shellcheck source=../build-release.sh
source "$repo/bench/build-release.sh"
pe="$repo/src/PolicyEngine.Cli/bin/Release/net10.0/policy-engine.dll"
gen="$repo/bench/PolicyEngine.OrgGenerator/bin/Release/net10.0/PolicyEngine.OrgGenerator.dll"
base="$repo/bench/PolicyEngine.Baselines/bin/Release/net10.0/PolicyEngine.Baselines.dll"

results="$data/results.tsv"
printf 'workload\taccounts\tresources\tbytes\tprogram\twall_s\tcpu_s\trss_mb\tload_before\tload_after\n' > "$results"

# measure LABEL ACCOUNTS RESOURCES FILE PROGRAM -- COMMAND...
measure() {
  local workload=$1 n=$2 m=$3 file=$4 program=$5
  shift 6
  local before after times
  before=$(cut -d' ' -f1 /proc/loadavg)
  /usr/bin/time -f '%e %U %S %M' -o "$data/time.txt" "$@" > /dev/null 2> "$data/stderr.txt" || true
  after=$(cut -d' ' -f1 /proc/loadavg)
  read -r wall user sys rss < <(tail -n 1 "$data/time.txt")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$workload" "$n" "$m" "$(stat -L -c %s "$file")" "$program" "$wall" \
    "$(echo "$user + $sys" | bc)" "$((rss / 1024))" "$before" "$after" | tee -a "$results"
}

for n in $accounts; do
  file="$data/org-$n.json"
  [ -f "$file" ] || dotnet "$gen" --out "$file" --accounts "$n" --regions "$regions" --resources "$full_resources"
  measure full-pack "$n" "$full_resources" "$file" read-pass -- dotnet "$base" read-pass "$file"
  measure full-pack "$n" "$full_resources" "$file" policy-engine -- dotnet "$pe" evaluate "$file" --format json -o "$data/report-$n.json"
  measure full-pack "$n" "$full_resources" "$file" policy-engine-whole -- dotnet "$pe" evaluate "$file" --format json -o "$data/report-$n-whole.json" --part-size 0
  cmp "$data/report-$n.json" "$data/report-$n-whole.json"
done

for n in ${SCALE_MILLION:-}; do
  file="$data/million-$n.json"
  [ -f "$file" ] || dotnet "$gen" --out "$file" --accounts "$n" --regions "$regions" --resources 1000000
  measure full-pack-1m "$n" 1000000 "$file" read-pass -- dotnet "$base" read-pass "$file"
  measure full-pack-1m "$n" 1000000 "$file" policy-engine -- dotnet "$pe" evaluate "$file" --format json -o "$data/million-report-$n.json"
  measure full-pack-1m "$n" 1000000 "$file" policy-engine-whole -- dotnet "$pe" evaluate "$file" --format json -o "$data/million-report-$n-whole.json" --part-size 0
  cmp "$data/million-report-$n.json" "$data/million-report-$n-whole.json"
done

for m in $resources; do
  file="$data/items-$m.json"
  [ -f "$file" ] || dotnet "$gen" --out "$file" --accounts 0 --regions "$regions" --resources "$m"
  measure anchor "7" "$m" "$file" read-pass -- dotnet "$base" read-pass "$file"
  measure anchor "7" "$m" "$file" policy-engine -- dotnet "$pe" evaluate "$file" --rules "$repo/bench/anchor/rules" --format json -o "$data/anchor-$m.json"
done

python3 "$here/plot.py" "$results" "$data/growth.svg"
echo "== $results, $data/growth.svg"
