# The two-rule anchor workload in jq (bench/anchor/run.sh): pass and fail counts of each check.
[.resources[] | select(.resourceType == "AWS::S3::Bucket") | (.supplementaryConfiguration.ServerSideEncryptionConfiguration != null)] as $b
| [.resources[] | select(.resourceType == "AWS::GuardDuty::Detector") | (.configuration.Enable == true)] as $d
| "bucket-encryption pass \($b | map(select(.)) | length) fail \($b | map(select(. | not)) | length); detector-enabled pass \($d | map(select(.)) | length) fail \($d | map(select(. | not)) | length)"
