#!/bin/sh
# The entrypoint every definition in deploy/ runs: it maps the batch engine's index variable to --shard, so the
# Kubernetes Indexed Job, the AWS Batch array job and the Step Functions Distributed Map run the same two commands.
#
#   shard.sh evaluate   evaluate shard INDEX/SHARD_COUNT of $POLICY_ENGINE_SNAPSHOT into $POLICY_ENGINE_REPORTS
#   shard.sh merge      merge the SHARD_COUNT shard reports into the unsharded report, in each of $POLICY_ENGINE_FORMATS
#
# INDEX is the first of these that is set (each counts from 0):
#   POLICY_ENGINE_SHARD_INDEX   set by the Step Functions definition from the Map item, or by hand
#   JOB_COMPLETION_INDEX        set by Kubernetes in every pod of an Indexed Job
#   AWS_BATCH_JOB_ARRAY_INDEX   set by AWS Batch in every child of an array job
# Other settings (environment, with defaults):
#   SHARD_COUNT (required)      the number of shards: the Job's completions, the array size, the manifest's items
#   POLICY_ENGINE               the command that runs the tool (default: policy-engine)
#   POLICY_ENGINE_DATA          the shared directory (default: /data)
#   POLICY_ENGINE_SNAPSHOT      the snapshot every shard evaluates (default: $POLICY_ENGINE_DATA/snapshot.json)
#   POLICY_ENGINE_REPORTS       where shard reports go (default: $POLICY_ENGINE_DATA/reports)
#   POLICY_ENGINE_FORMATS       formats merge writes to $POLICY_ENGINE_DATA/report.FORMAT (default: "json sarif")
#   POLICY_ENGINE_FAIL_ON       merge's --fail-on (default: none; e.g. high to fail the final step on findings)
# Further arguments go to that policy-engine command (evaluate: e.g. --rules, --config, the same for every shard;
# merge: e.g. --include-passing).
set -eu

mode=${1:-}
[ $# -gt 0 ] && shift
tool=${POLICY_ENGINE:-policy-engine}
data=${POLICY_ENGINE_DATA:-/data}
snapshot=${POLICY_ENGINE_SNAPSHOT:-$data/snapshot.json}
reports=${POLICY_ENGINE_REPORTS:-$data/reports}
count=${SHARD_COUNT:?SHARD_COUNT must be set to the number of shards}

case "$mode" in
evaluate)
  index=${POLICY_ENGINE_SHARD_INDEX:-${JOB_COMPLETION_INDEX:-${AWS_BATCH_JOB_ARRAY_INDEX:-}}}
  if [ -z "$index" ]; then
    echo "shard.sh: no shard index: set POLICY_ENGINE_SHARD_INDEX, JOB_COMPLETION_INDEX or AWS_BATCH_JOB_ARRAY_INDEX" >&2
    exit 2
  fi
  mkdir -p "$reports"
  # A retried shard overwrites its own report (written through a temporary file, never half-written).
  # shellcheck disable=SC2086 # POLICY_ENGINE may be a command with arguments, e.g. "dotnet policy-engine.dll".
  exec $tool evaluate "$snapshot" --shard "$index/$count" --format json --fail-on none \
    --output "$reports/shard-$index-of-$count.json" "$@"
  ;;
merge)
  inputs=""
  i=0
  while [ "$i" -lt "$count" ]; do
    inputs="$inputs $reports/shard-$i-of-$count.json"
    i=$((i + 1))
  done
  status=0
  for format in ${POLICY_ENGINE_FORMATS:-json sarif}; do
    # shellcheck disable=SC2086 # word splitting of the tool command and of the input list is intended.
    $tool merge $inputs --format "$format" --fail-on "${POLICY_ENGINE_FAIL_ON:-none}" --output "$data/report.$format" "$@" || status=$?
    [ "$status" -le 1 ] || exit "$status"
  done
  exit "$status"
  ;;
*)
  echo "usage: shard.sh evaluate|merge [policy-engine options]" >&2
  exit 3
  ;;
esac
