// Runs the benchmarks one after another, each in its own process (one that fails does not stop the
// others), prints each one's table and writes all their figures to bench/results/latest.json.
// Needs `npm run build` first (`npm run bench` builds).
// Usage: node bench/run.js [--only kernel,sgemm,models,memory,cells,widgets]
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const BENCHMARKS = {
  kernel: { script: "kernel.js", about: "Kernel latency: deepts vs tslab (ms)" },
  sgemm: { script: "sgemm.js", about: "SGEMM and conv2d GFLOP/s: deepts vs TF.js and PyTorch" },
  models: { script: "models.js", about: "MNIST model throughput: deepts vs TF.js and PyTorch (samples/s)" },
  memory: { script: "memory.js", about: "Peak RSS of MNIST MLP/CNN training: deepts vs TF.js and PyTorch (MB)" },
  cells: {
    script: "cells.js",
    about: "Cell latency: 1+1 round trip, first result, small training cell, deepts vs ipykernel+PyTorch (ms)",
  },
  widgets: {
    script: "widgets.js",
    about: "Widget latency: slider update → observe → Output updated, deepts vs ipykernel (ms)",
  },
};

function parseOnly(argv) {
  const i = argv.indexOf("--only");
  if (i < 0) return Object.keys(BENCHMARKS);
  const names = (argv[i + 1] ?? "").split(",").filter(Boolean);
  const unknown = names.filter((n) => !(n in BENCHMARKS));
  if (names.length === 0 || unknown.length > 0) {
    console.error(
      `bench/run.js: --only takes a comma-separated list of ${Object.keys(BENCHMARKS).join(", ")}${unknown.length ? ` (unknown: ${unknown.join(", ")})` : ""}`,
    );
    process.exit(2);
  }
  return names;
}

/** Runs one benchmark script; its stdout (the table) is shown live and kept, its stderr shown. */
function runOne(name, jsonFile) {
  const { script } = BENCHMARKS[name];
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, [join(here, script), "--json", jsonFile], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let stdout = "";
    child.stdout.on("data", (d) => {
      stdout += d;
      process.stdout.write(d);
    });
    const finish = (exitCode, error) => {
      let results;
      try {
        results = JSON.parse(readFileSync(jsonFile, "utf8"));
      } catch {
        results = undefined;
      }
      const seconds = Math.round((performance.now() - started) / 100) / 10;
      resolve({
        ok: exitCode === 0 && results !== undefined,
        exitCode,
        ...(error ? { error } : {}),
        seconds,
        table: stdout.trim(),
        results,
      });
    };
    child.once("error", (e) => finish(null, e.message));
    child.once("close", (code) => finish(code));
  });
}

const names = parseOnly(process.argv);
const scratch = mkdtempSync(join(tmpdir(), "deepts-bench-"));
const report = {
  date: new Date().toISOString(),
  node: process.version,
  cpus: cpus().length,
  cpu: cpus()[0]?.model,
  benchmarks: {},
};
for (const name of names) {
  console.log(`\n## ${name}: ${BENCHMARKS[name].about}\n`);
  const result = await runOne(name, join(scratch, `${name}.json`));
  report.benchmarks[name] = result;
  if (!result.ok)
    console.log(`\n${name} FAILED (exit code ${result.exitCode}${result.error ? `: ${result.error}` : ""})`);
  console.log(`(${name}: ${result.seconds} s)`);
}
rmSync(scratch, { recursive: true, force: true });

const out = join(here, "results", "latest.json");
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify(report, null, 1) + "\n");
const failed = names.filter((n) => !report.benchmarks[n].ok);
console.log(`\nwritten ${out}${failed.length ? `; failed: ${failed.join(", ")}` : ""}`);
process.exitCode = failed.length > 0 ? 1 : 0;
