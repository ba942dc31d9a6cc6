// Widget latency: slider update (a comm_msg as a frontend sends it while dragging) → the kernel's
// observe callback → the Output widget's update on iopub, through jupyter_client; median and p99
// for deepts and for ipykernel with ipywidgets (the reference) in the same run.
// Needs `npm run build` and a Python with jupyter_client, ipykernel and ipywidgets: $DEEPTS_TEST_VENV
// or .venv (see .ci/run). Usage: node bench/widgets.js [--runs 300] [--json file]
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const argValue = (name) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const RUNS = Number(argValue("--runs") ?? 300);
const venv = process.env.DEEPTS_TEST_VENV ?? join(root, ".venv");
const python = join(venv, "bin/python");
if (!existsSync(python)) {
  console.error(`bench/widgets.js: no Python venv at ${venv} (see .ci/run or set DEEPTS_TEST_VENV)`);
  process.exit(1);
}

const prefix = mkdtempSync(join(tmpdir(), "bench-widgets-"));
let raw;
try {
  const install = spawnSync(process.execPath, [join(root, "dist/cli/main.js"), "install", "--prefix", prefix], {
    encoding: "utf8",
  });
  if (install.status !== 0) throw new Error(`deepts install failed: ${install.stderr}`);
  const run = spawnSync(python, [join(root, "bench/widgets_latency.py"), String(RUNS), "deepts", "python3"], {
    encoding: "utf8",
    timeout: 900_000,
    env: { ...process.env, JUPYTER_PATH: join(prefix, "share/jupyter"), DEEPTS_HISTORY_FILE: "" },
  });
  if (run.status !== 0) throw new Error(`widgets_latency.py failed (${run.status}): ${run.stderr.slice(-2000)}`);
  raw = JSON.parse(run.stdout.trim().split("\n").at(-1));
} finally {
  rmSync(prefix, { recursive: true, force: true });
}

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
const results = {};
for (const [name, r] of Object.entries(raw)) {
  // The first updates include warm-up (JIT, the first Output rendering): drop a tenth.
  const ms = r.ms?.slice(Math.floor(r.ms.length / 10));
  results[name === "python3" ? "ipykernel" : name] = ms
    ? { median: quantile(ms, 0.5), p99: quantile(ms, 0.99), runs: ms.length }
    : { error: r.error };
}
const fmt = (v) => (typeof v === "number" ? `${v.toFixed(2)} ms` : "error");
const d = results.deepts ?? {};
const p = results.ipykernel ?? {};
console.log(`Widget latency: slider update → observe → Output updated (through jupyter_client, ${RUNS} updates)`);
console.log("| | deepts | ipykernel + ipywidgets | ratio |");
console.log("| --- | --- | --- | --- |");
for (const key of ["median", "p99"]) {
  const ratio = typeof d[key] === "number" && typeof p[key] === "number" ? `${(d[key] / p[key]).toFixed(2)}×` : "";
  console.log(`| ${key} | ${fmt(d[key])} | ${fmt(p[key])} | ${ratio} |`);
}
const jsonFile = argValue("--json");
if (jsonFile) writeFileSync(jsonFile, JSON.stringify(results, null, 2));
if (d.error) process.exit(1);
