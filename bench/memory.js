// Peak memory of MNIST training (issue 18): the MLP 784-128-10 and CNN Conv2D(32, 3×3)-Flatten-
// Dense(10) of bench/models.js, Adam (lr 0.001), sparse categorical cross-entropy, batch 64, trained
// for a fixed number of steps by each side in a fresh process of its own: deepts (native, and the
// other CPU backends), TF.js wasm and PyTorch CPU (/usr/bin/python3 with Debian's python3-torch).
// Each process reports its RSS once its framework is imported, its RSS with the training data read
// and no model built yet (the baseline), and its peak RSS over its whole life (Node:
// process.resourceUsage().maxRSS; Python: getrusage(RUSAGE_SELF).ru_maxrss). Growth = peak − baseline
// is what training itself added. Every side holds the same data: the steps × batch MNIST samples
// as one float32 buffer of pixels plus one of labels read from the same files, and makes each
// step's batch tensors from it (and frees them) as it goes. The goal: deepts-native's peak ≤
// PyTorch's. Needs `npm run build` first.
// Usage: node bench/memory.js [--steps 100] [--batch 64] [--only mlp,cnn]
//        [--sides deepts-native,deepts-wasm,deepts-cpu,tfjs-wasm,torch] [--json file]
import { registerChainedOps } from "./tfjs-chained.js";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { cpus, tmpdir } from "node:os";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const STEPS = Number(arg("--steps", 100));
const BATCH = Number(arg("--batch", 64));
const SAMPLES = STEPS * BATCH;
const MODELS = arg("--only", "mlp,cnn").split(",");
const SIDES = arg("--sides", "deepts-native,deepts-wasm,deepts-cpu,tfjs-wasm,torch").split(",");
const TORCH_PYTHON = "/usr/bin/python3";
const MB = 1024 * 1024;

/** The resident set size of this process now, in bytes. */
const rssNow = () => process.memoryUsage.rss();

/** The training data every side holds: the pixels (float32, [SAMPLES, 28, 28]) and labels (int32) read from the files. */
function readData(files) {
  const pixels = readFileSync(files.images);
  const labels = readFileSync(files.labels);
  return {
    images: new Float32Array(pixels.buffer, pixels.byteOffset, pixels.byteLength / 4),
    labels: new Int32Array(labels.buffer, labels.byteOffset, labels.byteLength / 4),
  };
}

/** The model of bench/models.js for `kind`, built with `api` (deepts's `tf` or tfjs-layers). */
function architecture(api, kind) {
  const L = api.layers;
  if (kind === "mlp")
    return [
      L.flatten({ inputShape: [28, 28, 1] }),
      L.dense({ units: 128, activation: "relu" }),
      L.dense({ units: 10, activation: "softmax" }),
    ];
  return [
    L.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3, activation: "relu" }),
    L.flatten(),
    L.dense({ units: 10, activation: "softmax" }),
  ];
}

/** One JS row, in this process (started with `--row side:kind`): only its own framework is imported. */
async function measureJs(side, kind, files) {
  const [framework, backend] = side.split("-");
  let T;
  let api;
  if (framework === "deepts") {
    T = await import("../dist/tf.js");
    api = T;
  } else {
    T = require("@tensorflow/tfjs-core");
    const wasm = require("@tensorflow/tfjs-backend-wasm");
    wasm.setWasmPaths(join(dirname(require.resolve("@tensorflow/tfjs-backend-wasm/package.json")), "dist") + "/");
    api = require("@tensorflow/tfjs-layers");
    registerChainedOps(T);
  }
  if (!(await T.setBackend(backend))) throw new Error(`setBackend('${backend}') failed`);
  await T.ready();
  const imported = rssNow();
  const data = readData(files);
  const baseline = rssNow();
  const baselinePeak = process.resourceUsage().maxRSS * 1024;

  const model = api.sequential({ layers: architecture(api, kind) });
  model.compile({ optimizer: T.train.adam(0.001), loss: "sparseCategoricalCrossentropy" });
  for (let step = 0; step < STEPS; step++) {
    const start = step * BATCH;
    const x = T.tensor(data.images.subarray(start * 784, (start + BATCH) * 784), [BATCH, 28, 28, 1], "float32");
    const y = T.tensor(Float32Array.from(data.labels.subarray(start, start + BATCH)), [BATCH], "float32");
    await model.trainOnBatch(x, y);
    T.dispose([x, y]);
  }
  const usage = process.memoryUsage();
  const tensors = T.memory();
  const idle = framework === "deepts" ? T.engine().backend.idleBytes?.() : undefined;
  return {
    imported,
    baseline,
    baselinePeak,
    peak: process.resourceUsage().maxRSS * 1024,
    end: usage.rss,
    heapUsed: usage.heapUsed,
    external: usage.external,
    arrayBuffers: usage.arrayBuffers,
    liveTensors: tensors.numTensors,
    liveTensorBytes: tensors.numBytes,
    ...(idle !== undefined ? { pooledIdleBytes: idle } : {}),
  };
}

// The same models and training in PyTorch (NCHW; with one channel the bytes are the same), the
// same loss (softmax outputs, clipped log), Adam with TF.js's defaults, the same data from the
// same files read once into one buffer each; each step's batch is a copy (as a JS tensor is).
const TORCH_SCRIPT = `
import json, os, resource, sys, torch
from torch import nn
cfg = json.loads(sys.argv[1])
def rss_now():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
imported = rss_now()
torch.manual_seed(0)
steps, batch, kind = cfg["steps"], cfg["batch"], cfg["kind"]
def read(path):
    buffer = bytearray(os.path.getsize(path))
    with open(path, "rb") as f:
        f.readinto(buffer)
    return buffer
images = torch.frombuffer(read(cfg["images"]), dtype=torch.float32).view(-1, 1, 28, 28)
labels = torch.frombuffer(read(cfg["labels"]), dtype=torch.int32)
baseline = rss_now()
baseline_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
if kind == "mlp":
    model = nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10), nn.Softmax(-1))
else:
    model = nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.Flatten(), nn.Linear(26 * 26 * 32, 10), nn.Softmax(-1))
optimizer = torch.optim.Adam(model.parameters(), lr=0.001, betas=(0.9, 0.999), eps=1e-7)
EPS = 1e-7
for step in range(steps):
    x = images[step * batch:(step + 1) * batch].clone()
    y = labels[step * batch:(step + 1) * batch].long()
    optimizer.zero_grad()
    p = model(x)
    p = (p / p.sum(-1, keepdim=True)).clamp(EPS, 1 - EPS)
    loss = -torch.log(p).gather(1, y.view(-1, 1)).mean()
    loss.backward()
    optimizer.step()
    loss.item()
    del x, y, p, loss
print(json.dumps({
    "imported": imported,
    "baseline": baseline,
    "baselinePeak": baseline_peak,
    "peak": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
    "end": rss_now(),
    "threads": torch.get_num_threads(),
    "version": torch.__version__,
}))
`;

function measureTorch(kind, files) {
  const cfg = { kind, steps: STEPS, batch: BATCH, ...files };
  const r = spawnSync(TORCH_PYTHON, ["-c", TORCH_SCRIPT, JSON.stringify(cfg)], { encoding: "utf8" });
  if (r.status !== 0)
    throw new Error((r.stderr || r.error?.message || `${TORCH_PYTHON} failed`).trim().split("\n").at(-1));
  return JSON.parse(r.stdout.trim().split("\n").at(-1));
}

function measureInChild(side, kind, files) {
  const argv = [
    new URL(import.meta.url).pathname,
    "--row",
    `${side}:${kind}`,
    "--steps",
    String(STEPS),
    "--batch",
    String(BATCH),
    "--files",
    JSON.stringify(files),
  ];
  const r = spawnSync(process.execPath, argv, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  const last = r.stdout.trim().split("\n").at(-1) ?? "";
  if (r.status !== 0 || !last.startsWith("{"))
    throw new Error((r.stderr || r.error?.message || "row failed").trim().split("\n").at(-1));
  const result = JSON.parse(last);
  if (result.error) throw new Error(result.error);
  return result;
}

const ROW = arg("--row", undefined);
if (ROW) {
  const [side, kind] = ROW.split(":");
  try {
    console.log(JSON.stringify(await measureJs(side, kind, JSON.parse(arg("--files")))));
  } catch (e) {
    // A side that cannot train a model (TF.js wasm has no Conv2DBackpropFilter) says so in its row.
    console.log(
      JSON.stringify({
        error: String(e?.message ?? e)
          .replace(/ for backend.*/, "")
          .slice(0, 120),
      }),
    );
  }
  process.exit(0);
}

// The data files every side reads: written once here from the MNIST training split.
const { loadMnistArrays } = await import("../dist/models/datasets/mnist.js");
const mnist = loadMnistArrays("train", SAMPLES);
const dir = mkdtempSync(join(tmpdir(), "deepts-bench-memory-"));
const files = { images: join(dir, "images.f32"), labels: join(dir, "labels.i32") };
writeFileSync(files.images, mnist.images);
writeFileSync(files.labels, mnist.labels);
const dataBytes = mnist.images.byteLength + mnist.labels.byteLength;

let torchVersion;
const rows = [];
for (const kind of MODELS) {
  const results = {};
  for (const side of SIDES) {
    try {
      results[side] = side === "torch" ? measureTorch(kind, files) : measureInChild(side, kind, files);
      if (side === "torch") torchVersion = `${results[side].version}, ${results[side].threads} threads`;
    } catch (e) {
      results[side] = { error: String(e?.message ?? e).slice(0, 120) };
    }
    process.stderr.write(`${kind} ${side}: ${JSON.stringify(results[side])}\n`);
  }
  rows.push([kind, results]);
}
rmSync(dir, { recursive: true, force: true });

const mb = (bytes) => (typeof bytes === "number" ? (bytes / MB).toFixed(1) : "—");
const ratio = (a, b) => (typeof a === "number" && typeof b === "number" ? a / b : undefined);
const fmtRatio = (r) => (r === undefined ? "—" : `${r.toFixed(2)}×`);

console.log(
  `\nMNIST training memory, MB (Adam, batch ${BATCH}, ${STEPS} steps; each side holds the same ${(dataBytes / MB).toFixed(1)} MB of data: ${SAMPLES} samples as float32 pixels + int32 labels)`,
);
console.log(`${cpus().length} cores: ${cpus()[0]?.model ?? "?"}${torchVersion ? `; torch ${torchVersion}` : ""}`);
console.log(
  "imported: RSS with the framework loaded; baseline: + the data, before the model; growth = peak − baseline\n",
);
console.log("model | side | imported | baseline | peak | growth | live tensors at end");
console.log("--- | --- | --- | --- | --- | --- | ---");
for (const [kind, results] of rows) {
  for (const side of SIDES) {
    const r = results[side];
    if (r.error) {
      console.log(`${kind} | ${side} | error: ${r.error} | | | |`);
      continue;
    }
    const live = r.liveTensors === undefined ? "—" : `${r.liveTensors} (${mb(r.liveTensorBytes)} MB)`;
    console.log([kind, side, mb(r.imported), mb(r.baseline), mb(r.peak), mb(r.peak - r.baseline), live].join(" | "));
  }
}

// The issue's goal: deepts-native's peak RSS during training ≤ PyTorch's.
const goals = [];
if (SIDES.includes("deepts-native") && SIDES.includes("torch")) {
  for (const [kind, results] of rows) {
    const d = results["deepts-native"];
    const t = results.torch;
    const r = ratio(d.peak, t.peak);
    goals.push({
      model: kind,
      deepts: d.peak,
      torch: t.peak,
      ratio: r,
      growthRatio: ratio(d.peak - d.baseline, t.peak - t.baseline),
      verdict: r === undefined ? "n/a" : r <= 1 ? "met" : "missed",
    });
  }
  console.log("\nGoal (issue 18): peak RSS during training, deepts-native ≤ PyTorch\n");
  console.log("model | deepts-native | torch | ratio | goal | verdict | growth ratio");
  console.log("--- | --- | --- | --- | --- | --- | ---");
  for (const g of goals)
    console.log(
      [g.model, mb(g.deepts), mb(g.torch), fmtRatio(g.ratio), "≤ 1.0×", g.verdict, fmtRatio(g.growthRatio)].join(" | "),
    );
}

const jsonFile = arg("--json", undefined);
if (jsonFile) {
  writeFileSync(
    jsonFile,
    JSON.stringify(
      {
        steps: STEPS,
        batch: BATCH,
        dataBytes,
        unit: "bytes",
        ...(torchVersion ? { torch: torchVersion } : {}),
        results: Object.fromEntries(rows),
        goals,
      },
      null,
      1,
    ),
  );
}
