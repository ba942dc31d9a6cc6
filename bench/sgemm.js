// SGEMM GFLOP/s (n = 256, 512, 1024) and conv2d forward+backward GFLOP/s for every deepts backend
// (cpu, wasm, webasm, native when its addon is built, webgpu when registered and an adapter answers) next to TF.js cpu and wasm and PyTorch CPU
// (/usr/bin/python3 with torch, when installed), all in one run, so the ratios compare like with like.
// Measures the machine's float32 peak (the addon's FMA loop, before and after the rows) and prints SGEMM as a fraction of
// it. Prints a table, the acceleration issue's SGEMM goal (≥ 2× TF.js wasm at n = 512 and 1024) and
// issue 18's (n = 1024 ≥ 0.75 of the peak; every native row ≥ 1.0× PyTorch) as met/missed, and writes its figures to bench/results/sgemm-<time>.json (not committed), or to
// the --json file. Needs `npm run build` first.
// Usage: node bench/sgemm.js [--sizes 256,512,1024] [--seconds 1] [--only sgemm,conv]
//        [--backends deepts-cpu,deepts-wasm,deepts-webasm,deepts-native,deepts-webgpu,tfjs-cpu,tfjs-wasm,torch] [--sgemm-only tfjs-cpu] [--json file]
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { cpus } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as dt from "../dist/tf.js";
import { createNativeBackend, nativeBackendStatus } from "../dist/runtime/backends/native/index.js";
import { loadAddon } from "../dist/runtime/backends/native/addon.js";

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const SIZES = arg("--sizes", "256,512,1024").split(",").map(Number);
const SECONDS = Number(arg("--seconds", 1));
const ONLY = arg("--only", "sgemm,conv").split(",");
const BACKENDS = arg(
  "--backends",
  "deepts-cpu,deepts-wasm,deepts-webasm,deepts-native,deepts-webgpu,tfjs-cpu,tfjs-wasm,torch",
).split(",");
// TF.js cpu needs minutes per conv gradient at these sizes: by default it runs the SGEMMs only.
const SGEMM_ONLY = arg("--sgemm-only", "tfjs-cpu").split(",");

/** Convolutions timed as forward + gradients for input and filter (3 convolutions' worth of FLOPs). */
const CONVS = [
  { name: "mnist 64×28×28×1 →32 3×3 valid", x: [64, 28, 28, 1], f: [3, 3, 1, 32], pad: "valid" },
  { name: "mid 32×28×28×32 →64 3×3 same", x: [32, 28, 28, 32], f: [3, 3, 32, 64], pad: "same" },
];
const convFlops = (c) => {
  const [n, h, w] = c.x;
  const [fh, fw, ci, co] = c.f;
  const oh = c.pad === "same" ? h : h - fh + 1;
  const ow = c.pad === "same" ? w : w - fw + 1;
  return 3 * 2 * n * oh * ow * fh * fw * ci * co;
};

if (!nativeBackendStatus().available) {
  console.error(`deepts-native skipped: ${nativeBackendStatus().reason}`);
} else if (!dt.engine().registeredBackends().includes("native")) {
  dt.registerBackend("native", () => createNativeBackend(), 0);
}

const tfc = require("@tensorflow/tfjs-core");
// tfjs-layers registers the gradients of tfjs-core ops (the core bundle alone has none).
require("@tensorflow/tfjs-layers");
require("@tensorflow/tfjs-backend-cpu");
const wasm = require("@tensorflow/tfjs-backend-wasm");
wasm.setWasmPaths(join(dirname(require.resolve("@tensorflow/tfjs-backend-wasm/package.json")), "dist") + "/");

/**
 * Runs `fn` (which returns a value to wait on) until `SECONDS` have passed; best of the timed calls,
 * in seconds. A warm-up call slower than 5·SECONDS is taken as the only measurement.
 */
async function timeIt(fn) {
  const t0 = performance.now();
  await fn(); // warm-up (kernel compilation, allocations)
  const warm = (performance.now() - t0) / 1000;
  if (warm > 5 * SECONDS) return warm;
  let best = Infinity;
  const end = performance.now() + SECONDS * 1000;
  let runs = 0;
  while (runs < 2 || performance.now() < end) {
    const t = performance.now();
    await fn();
    best = Math.min(best, (performance.now() - t) / 1000);
    if (++runs >= 1000) break;
  }
  return best;
}

async function jsFramework(framework, backend) {
  const T = framework === "deepts" ? dt : tfc;
  if (!(await T.setBackend(backend))) throw new Error(`setBackend('${backend}') failed`);
  await T.ready();
  const out = { sgemm: {}, conv: {} };
  if (ONLY.includes("sgemm")) {
    for (const n of SIZES) {
      const a = T.randomNormal([n, n]);
      const b = T.randomNormal([n, n]);
      const s = await timeIt(async () => {
        const c = T.matMul(a, b);
        await c.data();
        c.dispose();
      });
      out.sgemm[n] = (2 * n ** 3) / s / 1e9;
      T.dispose([a, b]);
      process.stderr.write(`  ${framework}-${backend} sgemm ${n}: ${out.sgemm[n].toFixed(1)} GFLOP/s\n`);
    }
  }
  if (ONLY.includes("conv") && !SGEMM_ONLY.includes(`${framework}-${backend}`)) {
    for (const c of CONVS) {
      const x = T.randomNormal(c.x);
      const f = T.randomNormal(c.f, 0, 0.1);
      const g = T.grads((x, f) => T.sum(T.conv2d(x, f, 1, c.pad)));
      try {
        const s = await timeIt(async () => {
          const [dx, df] = g([x, f]);
          await Promise.all([dx.data(), df.data()]);
          T.dispose([dx, df]);
        });
        out.conv[c.name] = convFlops(c) / s / 1e9;
        process.stderr.write(`  ${framework}-${backend} conv ${c.name}: ${out.conv[c.name].toFixed(1)} GFLOP/s\n`);
      } catch (e) {
        // e.g. TF.js wasm has no Conv2DBackpropFilter kernel
        out.conv[c.name] = undefined;
        out.errors = [...(out.errors ?? []), `conv: ${String(e.message ?? e).slice(0, 80)}`];
        process.stderr.write(`  ${framework}-${backend} conv ${c.name}: ${String(e.message ?? e).slice(0, 80)}\n`);
      }
      T.dispose([x, f]);
    }
  }
  return out;
}

const TORCH_SCRIPT = `
import json, sys, time, torch
cfg = json.loads(sys.argv[1])
torch.set_num_threads(cfg["threads"])
def time_it(fn, seconds):
    fn()
    best, runs, end = float("inf"), 0, time.perf_counter() + seconds
    while runs < 2 or time.perf_counter() < end:
        t = time.perf_counter(); fn(); best = min(best, time.perf_counter() - t); runs += 1
        if runs >= 1000: break
    return best
out = {"sgemm": {}, "conv": {}, "threads": torch.get_num_threads(), "version": torch.__version__}
for n in cfg["sizes"]:
    a, b = torch.randn(n, n), torch.randn(n, n)
    out["sgemm"][str(n)] = 2 * n ** 3 / time_it(lambda: torch.mm(a, b), cfg["seconds"]) / 1e9
for c in cfg["convs"]:
    n, h, w, ci = c["x"]; fh, fw, _, co = c["f"]
    x = torch.randn(n, ci, h, w, requires_grad=True)
    f = (torch.randn(co, ci, fh, fw) * 0.1).requires_grad_()
    pad = fh // 2 if c["pad"] == "same" else 0
    def step():
        x.grad = None; f.grad = None
        torch.nn.functional.conv2d(x, f, padding=pad).sum().backward()
    out["conv"][c["name"]] = c["flops"] / time_it(step, cfg["seconds"]) / 1e9
print(json.dumps(out))
`;

function torch() {
  const cfg = {
    sizes: ONLY.includes("sgemm") ? SIZES : [],
    convs: ONLY.includes("conv") ? CONVS.map((c) => ({ ...c, flops: convFlops(c) })) : [],
    seconds: SECONDS,
    threads: cpus().length,
  };
  const r = spawnSync("/usr/bin/python3", ["-c", TORCH_SCRIPT, JSON.stringify(cfg)], { encoding: "utf8" });
  if (r.status !== 0) throw new Error((r.stderr || r.error?.message || "python3 failed").trim().split("\n").at(-1));
  const out = JSON.parse(r.stdout);
  process.stderr.write(
    `  torch ${out.version} (${out.threads} threads): ${JSON.stringify({ sgemm: out.sgemm, conv: out.conv })}\n`,
  );
  return out;
}

// The machine's float32 peak with the addon's FMA loop (every core at once, and one core), measured
// before and again after the rows, the higher kept: short rounds (about 3 ms each), best of many, so
// a round that other processes on the shared cores left alone is among them. SGEMM is then read as a
// fraction of what the cores can do at all.
const addon = loadAddon().addon;
const PEAK_ITERATIONS = 1_000_000;
const PEAK_ROUNDS = 100;
let peak;
function measurePeak() {
  if (!addon?.fmaPeak) return;
  const all = addon.fmaPeak(cpus().length, PEAK_ITERATIONS, PEAK_ROUNDS);
  const one = addon.fmaPeak(1, PEAK_ITERATIONS, PEAK_ROUNDS);
  peak = {
    gflops: Math.max(all.gflops, peak?.gflops ?? 0),
    oneCore: Math.max(one.gflops, peak?.oneCore ?? 0),
    isa: all.isa,
    threads: all.threads,
  };
  process.stderr.write(
    `  peak (${all.isa} FMA loop): ${all.gflops.toFixed(1)} GFLOP/s on ${all.threads} threads, ${one.gflops.toFixed(1)} on one\n`,
  );
}
measurePeak();

const results = {};
for (const b of BACKENDS) {
  try {
    if (b === "torch") results[b] = torch();
    else {
      const [framework, backend] = b.split("-");
      if (framework === "deepts" && !dt.engine().registeredBackends().includes(backend))
        throw new Error("not registered");
      results[b] = await jsFramework(framework, backend);
    }
  } catch (e) {
    results[b] = { error: String(e.message ?? e).slice(0, 80) };
    process.stderr.write(`  ${b}: ${results[b].error}\n`);
  }
}

const fmt = (v) => (v === undefined ? "—" : v >= 100 ? v.toFixed(0) : v.toFixed(1));
measurePeak();
const ratio = (a, b) => (a && b ? (a / b).toFixed(2) + "×" : "—");
const ok = BACKENDS.filter((b) => !results[b].error);
const deepts = ok.filter((b) => b.startsWith("deepts"));
const refs = ["tfjs-wasm", "torch"].filter((b) => ok.includes(b));
const peakColumns = peak ? ["deepts-native", "torch"].filter((b) => ok.includes(b)) : [];
const header = [
  "benchmark",
  ...ok,
  ...deepts.flatMap((d) => refs.map((r) => `${d} / ${r}`)),
  ...peakColumns.map((b) => `${b} / peak`),
];
const rows = [];
if (ONLY.includes("sgemm")) for (const n of SIZES) rows.push([`sgemm n=${n}`, (b) => results[b].sgemm?.[n]]);
if (ONLY.includes("conv")) for (const c of CONVS) rows.push([`conv f+b ${c.name}`, (b) => results[b].conv?.[c.name]]);

console.log(
  `\nGFLOP/s, best of repeated runs over ~${SECONDS}s each (${cpus().length} cores: ${cpus()[0]?.model ?? "?"}); ratios from this run`,
);
if (ok.includes("deepts-native")) console.log(`native BLAS: ${dt.findBackend("native")?.blas ?? "?"}`);
console.log("\n" + header.join(" | "));
console.log(header.map(() => "---").join(" | "));
for (const b of ok) for (const e of results[b].errors ?? []) console.log(`(${b}: ${e})`);
for (const [label, get] of rows) {
  console.log(
    [
      label,
      ...ok.map((b) => fmt(get(b))),
      ...deepts.flatMap((d) => refs.map((r) => ratio(get(d), get(r)))),
      ...peakColumns.map((b) => ratio(get(b), peak.gflops)),
    ].join(" | "),
  );
}
if (peak)
  console.log(
    `\nmachine peak (${peak.isa} FMA loop, best of ${PEAK_ROUNDS} rounds before and after the rows): ${fmt(peak.gflops)} GFLOP/s on ${peak.threads} threads, ${fmt(peak.oneCore)} on one`,
  );

// The acceleration issue's SGEMM goal: the fastest deepts CPU backend ≥ 2× TF.js wasm at n = 512 and 1024.
const goals = [];
if (ok.includes("tfjs-wasm") && ONLY.includes("sgemm")) {
  for (const n of SIZES.filter((n) => n >= 512)) {
    const best = deepts
      .filter((b) => b !== "deepts-webgpu" && results[b].sgemm?.[n])
      .sort((a, b) => results[b].sgemm[n] - results[a].sgemm[n])[0];
    const r =
      best && results["tfjs-wasm"].sgemm?.[n] ? results[best].sgemm[n] / results["tfjs-wasm"].sgemm[n] : undefined;
    if (best)
      goals.push({
        benchmark: `sgemm n=${n}`,
        backend: best,
        against: "tfjs-wasm",
        goal: 2,
        ratio: r,
        verdict: r === undefined ? "n/a" : r >= 2 ? "met" : "missed",
      });
  }
}
// Issue 18's goals: SGEMM n = 1024 at ≥ 0.75 of the measured peak; every row ≥ 1.0× PyTorch.
if (peak && ok.includes("deepts-native") && SIZES.includes(1024) && ONLY.includes("sgemm")) {
  const r = results["deepts-native"].sgemm?.[1024] / peak.gflops;
  goals.push({
    benchmark: "sgemm n=1024",
    backend: "deepts-native",
    against: "measured peak",
    goal: 0.75,
    ratio: r,
    verdict: Number.isFinite(r) ? (r >= 0.75 ? "met" : "missed") : "n/a",
  });
}
if (ok.includes("deepts-native") && ok.includes("torch")) {
  for (const [label, get] of rows) {
    const r = get("deepts-native") / get("torch");
    goals.push({
      benchmark: label,
      backend: "deepts-native",
      against: "torch",
      goal: 1,
      ratio: r,
      verdict: Number.isFinite(r) ? (r >= 1 ? "met" : "missed") : "n/a",
    });
  }
}
if (goals.length > 0) {
  console.log("\nGoals (acceleration issue, issue 18)\n");
  console.log("benchmark | deepts backend | against | ratio | goal | verdict");
  console.log("--- | --- | --- | --- | --- | ---");
  for (const g of goals)
    console.log([g.benchmark, g.backend, g.against, ratio(g.ratio, 1), `≥ ${g.goal}×`, g.verdict].join(" | "));
}

const file =
  arg("--json", undefined) ?? join(here, "results", `sgemm-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
mkdirSync(dirname(file), { recursive: true });
writeFileSync(
  file,
  JSON.stringify(
    {
      date: new Date().toISOString(),
      cpus: cpus().length,
      cpu: cpus()[0]?.model,
      seconds: SECONDS,
      sizes: SIZES,
      convs: CONVS,
      results,
      goals,
      peak,
    },
    null,
    1,
  ),
);
process.stderr.write(`written ${file}\n`);
