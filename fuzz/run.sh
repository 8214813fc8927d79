#!/usr/bin/env bash
# Builds the fuzz targets (fuzz/PolicyEngine.Fuzz), instruments the engine's assemblies with SharpFuzz, writes the
# seed corpus from the repository, and runs AFL++ on each target for a bounded time. Exits 1 when any target
# crashed (each crashing input is replayed, so its exception is printed), 2 on a setup problem.
#
#   fuzz/run.sh [--seconds N] [--execs N] [--configuration Debug|Release] [--work DIR] [target...]
#
# Each target stops after --seconds (default 60) or, when given, after about --execs executions, whichever is first.
#
# Targets: jsonpath (parser + evaluator), rules (UTF-8 check + YAML + binder + compiler), snapshot (loader).
# Needs afl-fuzz (Debian: apt-get install afl++) and the SharpFuzz instrumenter (dotnet tool restore).
# A run's findings stay in WORK/out/<target>/default (crashes/, hangs/, queue/, fuzzer_stats).
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$(pwd)"

seconds=60
execs=
configuration=Release
work="$repo/artifacts/fuzz"
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --execs) execs="$2"; shift 2 ;;
    --configuration) configuration="$2"; shift 2 ;;
    --work) work="$2"; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    -*) echo "unknown option $1" >&2; exit 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done
[ ${#targets[@]} -gt 0 ] || targets=(jsonpath rules snapshot)

if ! command -v afl-fuzz >/dev/null; then
  echo "afl-fuzz is not installed (Debian: apt-get install afl++)" >&2
  exit 2
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet tool restore >/dev/null

bin="$work/bin"
replay="$work/replay"
rm -rf "$bin" "$replay"
dotnet publish fuzz/PolicyEngine.Fuzz -c "$configuration" -o "$bin" --nologo -v quiet
# Crashing inputs are replayed by an uninstrumented copy: instrumented code outside afl-fuzz has no coverage map.
cp -r "$bin" "$replay"
# Only the code under test reports coverage: the engine's assemblies and the YAML parser they drive. Instrumenting
# the fuzz driver or the runtime would fill AFL++'s map with noise.
for assembly in PolicyEngine.JsonPath PolicyEngine.Core PolicyEngine.Scripting YamlDotNet; do
  dotnet tool run sharpfuzz "$bin/$assembly.dll" >/dev/null
done

rm -rf "$work/seeds"
dotnet "$replay/PolicyEngine.Fuzz.dll" seeds "$repo" "$work/seeds"

# AFL++ settings for a .NET target on a shared machine: the fork server is SharpFuzz inside the dotnet process (no
# instrumented binary to check), starting the runtime takes seconds, and other processes own the cores.
export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_NO_AFFINITY=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
export AFL_FORKSRV_INIT_TMOUT=120000 AFL_QUIET=1
export DOTNET_TieredPGO=0

status=0
for target in "${targets[@]}"; do
  # Inputs that once broke a target are replayed first: a fixed crash that comes back fails the run even when
  # AFL++ does not rediscover it within the time given.
  if [ -d "fuzz/regressions/$target" ] && ! dotnet "$replay/PolicyEngine.Fuzz.dll" "$target" fuzz/regressions/"$target"/*; then
    echo "$target: a regression input under fuzz/regressions/$target throws again" >&2
    status=1
  fi
  out="$work/out/$target"
  rm -rf "$out"
  mkdir -p "$out"
  echo "fuzzing $target for ${seconds}s"
  # -t: a generous per-input timeout (the machine is shared); hangs are reported, crashes fail the run.
  if ! afl-fuzz -i "$work/seeds/$target" -o "$out" -V "$seconds" ${execs:+-E "$execs"} -t 10000 -m none \
      -- dotnet "$bin/PolicyEngine.Fuzz.dll" "$target" >"$out/afl.log" 2>&1; then
    tail -n 30 "$out/afl.log" >&2
    echo "$target: afl-fuzz failed (log: $out/afl.log)" >&2
    status=1
    continue
  fi
  stats="$out/default/fuzzer_stats"
  value() { sed -n "s/^$1 *: *//p" "$stats"; }
  crashes="$(value saved_crashes)"
  hangs="$(value saved_hangs)"
  echo "$target: $(value execs_done) executions in $(value run_time)s, $(value corpus_count) corpus entries, $crashes crashes, $hangs hangs"
  if [ "${crashes:-0}" != 0 ]; then
    status=1
    dotnet "$replay/PolicyEngine.Fuzz.dll" "$target" "$out"/default/crashes/id:* >&2 || true
  fi
done
exit "$status"
