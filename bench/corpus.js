/**
 * The corpus at full size: every program of test/corpus as written (no size substitutions; the data
 * stand-ins scaled by CORPUS_SCALE), as one cell in the deepts kernel and on TF.js 4.22 in Node.
 * Prints, per program, both running times and whether the results agree (test/corpus/manifest.mjs).
 *
 *   npm run build && node bench/corpus.js [--scale 2] [--only iris,mnist-core] [--deepts-only]
 *
 * Takes long: TF.js's plain-JavaScript cpu backend trains the convolutional programs slowly.
 */
import { programs } from "../test/corpus/manifest.mjs";
import { programSource, runInKernel, runReference } from "../test/corpus/runner.mjs";

const args = process.argv.slice(2);
const option = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const scale = Number(option("--scale") ?? 1);
const only = option("--only")?.split(",");
const deeptsOnly = args.includes("--deepts-only");

const rows = [];
for (const program of programs) {
  if (only && !only.includes(program.name)) continue;
  const code = programSource(program.file);
  process.stdout.write(`${program.name} … `);
  const deepts = await runInKernel(code, { scale, timeoutMs: 3_600_000 });
  let verdict;
  let tfjsSeconds = "";
  if (deepts.status !== "ok") {
    verdict = program.pending ? `pending: ${program.pending.api}` : `deepts failed: ${deepts.error}`;
  } else if (deeptsOnly) {
    verdict = "ran (no reference run)";
  } else {
    const tfjs = await runReference(code, { scale, typescript: program.typescript, timeoutMs: 3_600_000 });
    tfjsSeconds = tfjs.seconds.toFixed(1);
    if (tfjs.status !== "ok") verdict = `TF.js failed: ${tfjs.error.split("\n").pop()}`;
    else {
      const problems = program.agree(deepts.result, tfjs.result);
      verdict = problems.length === 0 ? "agree" : `DISAGREE: ${problems.join("; ")}`;
    }
  }
  console.log(verdict);
  rows.push({ program: program.name, deepts_s: deepts.seconds.toFixed(1), tfjs_s: tfjsSeconds, verdict });
}
console.log(`\ncorpus at scale ${scale}`);
console.table(rows);
process.exit(rows.some((r) => r.verdict.startsWith("DISAGREE") || r.verdict.startsWith("deepts failed")) ? 1 : 0);
