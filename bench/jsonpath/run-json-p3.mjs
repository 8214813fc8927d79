// Runs the PolicyEngine.JsonPath benchmark queries under json-p3 (an RFC 9535 implementation) on the same
// snapshot file, and prints a Markdown table. Usage: node run-json-p3.mjs <data-dir>
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { jsonpath } from "json-p3";

const dir = process.argv[2];
if (!dir) {
  console.error("usage: node run-json-p3.mjs <data-dir>");
  process.exit(2);
}

const queries = JSON.parse(readFileSync(join(dir, "queries.json"), "utf8"));
const text = readFileSync(join(dir, "snapshot.json"), "utf8");
const data = JSON.parse(text);

// Same shape as a BenchmarkDotNet ShortRun: a few warm-up runs, then timed runs; report mean and min.
function measure(fn, minRuns, minMillis) {
  for (let i = 0; i < 3; i++) fn();
  const times = [];
  const started = performance.now();
  while (times.length < minRuns || performance.now() - started < minMillis) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  return { mean, min: times.reduce((a, b) => Math.min(a, b), Infinity), runs: times.length };
}

function format(ms) {
  if (ms >= 1) return `${ms.toFixed(2)} ms`;
  if (ms >= 0.001) return `${(ms * 1000).toFixed(2)} μs`;
  return `${(ms * 1e6).toFixed(1)} ns`;
}

const version = JSON.parse(readFileSync(new URL("./node_modules/json-p3/package.json", import.meta.url), "utf8")).version;
console.log(`json-p3 ${version} on Node ${process.version}`);
console.log("");
console.log("| Query | json-p3 evaluate (mean) | min | results | json-p3 compile (mean) |");
console.log("|---|---:|---:|---:|---:|");
// The per-document cost json-p3 depends on: the snapshot as JavaScript objects (JSON.parse of the text already read).
const load = measure(() => JSON.parse(text), 5, 3000);
console.log(`| (load: JSON.parse of the snapshot text) | ${format(load.mean)} | ${format(load.min)} | | |`);
for (const q of queries) {
  const compiled = jsonpath.compile(q.Rfc9535);
  let count = 0;
  // query() materializes a node list whose nodes carry value and location, like the .NET result.
  const evaluate = measure(() => { count = compiled.query(data).length; }, 5, 2000);
  const batch = 1000;
  const compile = measure(() => { for (let i = 0; i < batch; i++) jsonpath.compile(q.Rfc9535); }, 5, 300);
  console.log(`| ${q.Name} | ${format(evaluate.mean)} | ${format(evaluate.min)} | ${count} | ${format(compile.mean / batch)} |`);
}
