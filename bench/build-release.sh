#!/usr/bin/env bash
# Sourced by the whole-process bench scripts: builds the CLI, the generator and the reference programs in Release,
# and stops with the build log if one does not build. Needs $repo and $data.
for project in src/PolicyEngine.Cli bench/PolicyEngine.OrgGenerator bench/PolicyEngine.Baselines; do
  if ! dotnet build "$repo/$project" -c Release -v quiet -nologo > "$data/build.log" 2>&1; then
    cat "$data/build.log" >&2
    echo "$project does not build (log: $data/build.log)" >&2
    exit 1
  fi
done
