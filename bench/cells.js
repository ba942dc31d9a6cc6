// Per-cell latency through jupyter_client, deepts against ipykernel running PyTorch in the same run:
// start → first `1+1` result, the `1+1` round trip (until the kernel reports idle), and a small
// training cell (two-layer model, fit one epoch on two small random tensors, predict) run many
// times in a fresh kernel. The goals: small cell ≤ 2× ipykernel+PyTorch, `1+1` ≤ 2 ms,
// first result ≤ 0.8 s. Needs `npm run build` and /usr/bin/python3 with jupyter_client, ipykernel
// and torch (Debian: python3-jupyter-client python3-ipykernel python3-torch).
// Usage: node bench/cells.js [--trips 200] [--cells 200] [--json file]
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const argValue = (name) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const TRIPS = Number(argValue("--trips") ?? 200);
const CELLS = Number(argValue("--cells") ?? 200);
const PYTHON = "/usr/bin/python3";
const LOAD_BEFORE = loadavg()[0];

const prefix = mkdtempSync(join(tmpdir(), "bench-cells-"));
let raw;
try {
  const install = spawnSync(process.execPath, [join(root, "dist/cli/main.js"), "install", "--prefix", prefix], {
    encoding: "utf8",
  });
  if (install.status !== 0) throw new Error(`deepts install failed: ${install.stderr}`);
  // ipykernel on the Python that has torch, under a name of its own.
  const spec = join(prefix, "share/jupyter/kernels/torch-python");
  mkdirSync(spec, { recursive: true });
  writeFileSync(
    join(spec, "kernel.json"),
    JSON.stringify({
      argv: [PYTHON, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
      display_name: "Python (PyTorch)",
      language: "python",
    }),
  );
  const run = spawnSync(
    PYTHON,
    [join(root, "bench/cells_latency.py"), String(TRIPS), String(CELLS), "deepts", "torch-python"],
    {
      encoding: "utf8",
      timeout: 1_800_000,
      env: { ...process.env, JUPYTER_PATH: join(prefix, "share/jupyter"), DEEPTS_HISTORY_FILE: "" },
    },
  );
  if (run.status !== 0) throw new Error(`cells_latency.py failed (${run.status}): ${run.stderr.slice(-2000)}`);
  raw = JSON.parse(run.stdout.trim().split("\n").at(-1));
} finally {
  rmSync(prefix, { recursive: true, force: true });
}

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
const summary = (r) =>
  r.error
    ? { error: r.error }
    : {
        first: r.first,
        trip: quantile(r.trip, 0.5),
        tripBest: Math.min(...r.trip),
        cell: quantile(r.cell, 0.5),
        cellBest: Math.min(...r.cell),
        cellP90: quantile(r.cell, 0.9),
        cellResult: r.cellResult,
      };
const results = { deepts: summary(raw.deepts), "ipykernel+torch": summary(raw["torch-python"]) };
const d = results.deepts;
const p = results["ipykernel+torch"];
const fmt = (v) => (typeof v === "number" ? (v >= 100 ? `${v.toFixed(0)} ms` : `${v.toFixed(2)} ms`) : "—");
const ratio = (a, b) => (typeof a === "number" && typeof b === "number" ? `${(a / b).toFixed(2)}×` : "—");
const verdict = (v, goal) => (typeof v === "number" ? (v <= goal ? "met" : "missed") : "n/a");
console.log(
  `Cell latency through jupyter_client (execute_request → idle), fresh kernels; load average before: ${LOAD_BEFORE.toFixed(2)}, after: ${loadavg()[0].toFixed(2)}`,
);
for (const [name, r] of Object.entries(results)) if (r.error) console.log(`(${name}: ${r.error})`);
console.log("\n| measure | deepts | ipykernel + PyTorch | deepts / ipykernel | goal | verdict |");
console.log("| --- | --- | --- | --- | --- | --- |");
const rows = [
  ["start → first `1+1` result", "first", "≤ 800 ms", verdict(d.first, 800)],
  [`\`1+1\` round trip (median of ${TRIPS})`, "trip", "≤ 2 ms", verdict(d.trip, 2)],
  [`\`1+1\` round trip (best of ${TRIPS})`, "tripBest", "", ""],
  [
    `small training cell (median of ${CELLS})`,
    "cell",
    "≤ 2× ipykernel",
    typeof d.cell === "number" && typeof p.cell === "number" ? verdict(d.cell / p.cell, 2) : "n/a",
  ],
  [`small training cell (best of ${CELLS})`, "cellBest", "", ""],
  [`small training cell (90th percentile of ${CELLS})`, "cellP90", "", ""],
];
for (const [label, key, goal, v] of rows)
  console.log(`| ${label} | ${fmt(d[key])} | ${fmt(p[key])} | ${ratio(d[key], p[key])} | ${goal} | ${v} |`);
const jsonFile = argValue("--json");
if (jsonFile)
  writeFileSync(
    jsonFile,
    JSON.stringify({ trips: TRIPS, cells: CELLS, loadBefore: LOAD_BEFORE, loadAfter: loadavg()[0], results }, null, 1),
  );
if (d.error) process.exit(1);
