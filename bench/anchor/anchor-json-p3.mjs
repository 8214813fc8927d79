// The two-rule anchor workload with json-p3 (RFC 9535 JSONPath) under Node: parse the file, select each rule's
// subjects and failures with compiled queries, print the pass and fail counts (bench/anchor/run.sh).
import { readFileSync } from "node:fs";
import { jsonpath } from "json-p3";

const data = JSON.parse(readFileSync(process.argv[2], "utf8"));
const buckets = jsonpath.compile("$.resources[?@.resourceType == 'AWS::S3::Bucket']");
const detectors = jsonpath.compile("$.resources[?@.resourceType == 'AWS::GuardDuty::Detector']");
const encrypted = jsonpath.compile("$.supplementaryConfiguration.ServerSideEncryptionConfiguration");
const enabled = jsonpath.compile("$.configuration.Enable");
let bp = 0, bf = 0, dp = 0, df = 0;
for (const node of buckets.query(data).nodes) {
  if (encrypted.query(node.value).nodes.length > 0) bp++; else bf++;
}
for (const node of detectors.query(data).nodes) {
  const values = enabled.query(node.value).values();
  if (values.length > 0 && values.every((v) => v === true)) dp++; else df++;
}
console.log(`bucket-encryption pass ${bp} fail ${bf}; detector-enabled pass ${dp} fail ${df}`);
