#!/usr/bin/env bash
# Sourced by .ci/native-aot and the bench scripts. install_tool FEED DIR: installs PolicyEngine.Cli from the packages
# in FEED (made by deploy/pack-tool.sh) into the tool path DIR, as a user's `dotnet tool install` would, but from FEED
# alone: a nuget.config that clears every other source and a private package cache, so that no other copy of the same
# version is picked up and nothing is fetched. Prints `dotnet tool install`'s output and returns non-zero when it fails.
install_tool() {
  local feed=$1 dir=$2
  local config
  config="$(mktemp -d)"
  cat > "$config/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="feed" value="$(cd "$feed" && pwd)" />
  </packageSources>
</configuration>
XML
  local status=0
  (cd "$config" && NUGET_PACKAGES="$config/packages" dotnet tool install PolicyEngine.Cli --tool-path "$dir" \
    --configfile nuget.config) || status=$?
  rm -rf "$config"
  return "$status"
}

# pack_and_install_tool DIR [--portable]: packs the tool with deploy/pack-tool.sh into DIR-feed (native for this
# machine's RID, or portable only) and installs it into DIR, both afresh. With the native packages it also checks that
# `dotnet tool install` chose the native one: the installed command must be PolicyEngine.Cli.<RID>'s executable, with
# no portable policy-engine.dll beside it.
pack_and_install_tool() {
  local dir=$1
  shift
  local repo
  repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  rm -rf "$dir" "$dir-feed"
  "$repo/deploy/pack-tool.sh" "$dir-feed" "$@" || return 1
  install_tool "$dir-feed" "$dir" || return 1
  [ "${1:-}" = --portable ] && return 0
  local rid installed
  rid="$(dotnet --info | sed -n 's/^ *RID: *//p' | head -n 1)"
  installed="$(readlink -f "$dir/policy-engine")"
  case "$installed" in
    *"/policyengine.cli.$rid/"*) ;;
    *) echo "dotnet tool install chose $installed, not the native package PolicyEngine.Cli.$rid" >&2; return 1 ;;
  esac
  if [ -e "$(dirname "$installed")/policy-engine.dll" ]; then
    echo "the installed package $installed holds the portable build (policy-engine.dll), not the native one" >&2
    return 1
  fi
}
