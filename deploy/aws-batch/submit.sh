#!/bin/sh
# Registers the job definition, submits the evaluate array job (AWS Batch sets AWS_BATCH_JOB_ARRAY_INDEX, 0 to size - 1,
# in each child), then the merge job, which depends on the whole array job: it starts only when every child succeeded.
# Edit the placeholders in job-definition.json (account, image, roles, EFS file system) and the queue name first.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
aws batch register-job-definition --cli-input-json "file://$here/job-definition.json" >/dev/null
array=$(aws batch submit-job --cli-input-json "file://$here/evaluate-array-job.json" --query jobId --output text)
sed "s/ARRAY_JOB_ID/$array/" "$here/merge-job.json" >"${TMPDIR:-/tmp}/policy-engine-merge-job.json"
merge=$(aws batch submit-job --cli-input-json "file://${TMPDIR:-/tmp}/policy-engine-merge-job.json" --query jobId --output text)
echo "evaluate array job $array; merge job $merge (writes report.json and report.sarif to the EFS volume)"
