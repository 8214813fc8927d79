#!/usr/bin/env bash
# Sourced by .ci/native-aot and the bench scripts.
#
# pack_and_install_tool DIR [--portable]: packs the tool with deploy/pack-tool.sh into DIR-feed (native for this
# machine's RID, or portable only) and installs it into the tool path DIR, both afresh, as a user's
# `dotnet tool install` would but from that feed alone: a nuget.config that clears every other source and a private
# package cache, so that no other copy of the same version is picked up and nothing is fetched. With the native
# packages it also checks that `dotnet tool install` chose the native one. Prints what it ran and returns non-zero
# when a step fails.
pack_and_install_tool() {
  local dir=$1
  shift
  local repo config status=0
  repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  rm -rf "$dir" "$dir-feed"
  "$repo/deploy/pack-tool.sh" "$dir-feed" "$@" || return 1
  config="$(mktemp -d)"
  cat > "$config/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="feed" value="$(cd "$dir-feed" && pwd)" />
  </packageSources>
</configuration>
XML
  (cd "$config" && NUGET_PACKAGES="$config/packages" dotnet tool install PolicyEngine.Cli --tool-path "$dir" \
    --configfile nuget.config) || status=$?
  rm -rf "$config"
  [ "$status" -eq 0 ] || return "$status"
  [ "${1:-}" = --portable ] && return 0
  # The portable build installs a shim in DIR (or, from a RID-specific feed, PolicyEngine.Cli.any); a RID's own
  # package installs a link to its executable, and a native one has no policy-engine.dll beside it.
  local installed
  installed="$(readlink -f "$dir/policy-engine")"
  case "$installed" in
    */policyengine.cli.any/*) ;;
    */.store/policyengine.cli/*/policyengine.cli.*/*)
      [ -e "$(dirname "$installed")/policy-engine.dll" ] || return 0
      ;;
  esac
  echo "dotnet tool install chose $installed, not the native package" >&2
  return 1
}
