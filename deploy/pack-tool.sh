#!/usr/bin/env bash
# Packs the policy-engine .NET tool so that `dotnet tool install PolicyEngine.Cli` gives each machine the fastest build
# it can run (.NET SDK 10 RID-specific tool packages):
#   PolicyEngine.Cli            the package users install; it names the two below and holds no code
#   PolicyEngine.Cli.<RID>      the Native AOT build for this machine's runtime identifier (e.g. linux-x64)
#   PolicyEngine.Cli.any        the portable JIT build, installed on every other platform
# The native build starts evaluate several times faster (docs/benchmarks.md, "Cold start: the installed native tool")
# and gives the same reports byte for byte (.ci/native-aot installs it from such a feed and checks that).
# Native AOT compiles for the platform it runs on: to serve another platform natively, run this there as well and put
# that package in the same feed; a top-level package names only the RIDs packed with it.
#
# Usage: deploy/pack-tool.sh FEED [--portable]
#   FEED         the directory the packages are written to (created when missing)
#   --portable   only the one portable package, as plain `dotnet pack src/PolicyEngine.Cli` makes it
# Then: dotnet tool install --global PolicyEngine.Cli --add-source FEED
# Needs the .NET SDK; the native build also needs the platform's native toolchain (Linux: clang and zlib's headers,
# e.g. apt-get install clang zlib1g-dev; macOS: Xcode's command-line tools; Windows: Visual Studio's C++ tools).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
feed="${1:?usage: deploy/pack-tool.sh FEED [--portable]}"
mode="${2:-native}"
project="$repo/src/PolicyEngine.Cli"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
mkdir -p "$feed"

# pack ARGS...: one `dotnet pack` of the CLI into the feed; its output is shown only when it fails.
pack() {
  local log
  log="$(mktemp)"
  if ! dotnet pack "$project" -c Release -o "$feed" -nologo -v quiet "$@" > "$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    echo "pack-tool: dotnet pack $* failed (output above)" >&2
    exit 1
  fi
  rm -f "$log"
}

case "$mode" in
  --portable)
    pack
    echo "pack-tool: wrote the portable package PolicyEngine.Cli to $feed"
    exit 0
    ;;
  native) ;;
  *)
    echo "pack-tool: unknown option '$mode' (the only option is --portable)" >&2
    exit 2
    ;;
esac

rid="$(dotnet --info | sed -n 's/^ *RID: *//p' | head -n 1)"
if [ -z "$rid" ]; then
  echo "pack-tool: 'dotnet --info' names no RID for this machine; pass --portable" >&2
  exit 1
fi
# Native AOT links with the platform's own toolchain: clang on Linux (checked here, since its absence otherwise shows
# as a linker error deep in the build log), Xcode's on macOS, Visual Studio's C++ tools on Windows.
if [[ "$rid" == linux-* ]] && ! command -v clang > /dev/null 2>&1; then
  echo "pack-tool: the native build needs clang and zlib's headers (Debian: apt-get install clang zlib1g-dev); or pass --portable" >&2
  exit 1
fi

pack -p:NativeToolRuntimeIdentifier="$rid"
pack -p:NativeToolRuntimeIdentifier="$rid" -r "$rid"
pack -p:NativeToolRuntimeIdentifier="$rid" -r any
echo "pack-tool: wrote PolicyEngine.Cli, PolicyEngine.Cli.$rid (Native AOT) and PolicyEngine.Cli.any (portable) to $feed"
