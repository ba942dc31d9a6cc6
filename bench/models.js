// Training and inference throughput (samples/s) of three MNIST models — MLP 784-128-10,
// CNN Conv2D(32, 3×3)-Flatten-Dense(10), SimpleRNN(64) over image rows — with Adam and batch 64,
// for deepts (native when its addon is built, cpu, webasm) next to TF.js (cpu, wasm) in the same run.
// Needs `npm run build` first.
// Usage: node bench/models.js [--steps 10] [--only mlp,cnn,rnn]
//        [--backends deepts-native,deepts-cpu,deepts-webasm,tfjs-cpu,tfjs-wasm] [--json file]
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import * as dt from "../dist/tf.js";

const require = createRequire(import.meta.url);
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const STEPS = Number(arg("--steps", 10));
const MODELS = arg("--only", "mlp,cnn,rnn").split(",");
const BACKENDS = arg("--backends", "deepts-native,deepts-cpu,deepts-webasm,tfjs-cpu,tfjs-wasm")
  .split(",")
  .filter((b) => {
    const [framework, backend] = b.split("-");
    const missing = framework === "deepts" && !dt.engine().registeredBackends().includes(backend);
    if (missing) process.stderr.write(`${b} skipped: not registered (native needs its addon built: node src/runtime/backends/native/csrc/build.mjs)\n`);
    return !missing;
  });
const BATCH = 64;
const INFER = 512;

// TF.js through its CommonJS builds (tfjs-layers uses tfjs-core's chained methods; register those it needs).
const tfc = require("@tensorflow/tfjs-core");
require("@tensorflow/tfjs-backend-cpu");
const wasm = require("@tensorflow/tfjs-backend-wasm");
const tfl = require("@tensorflow/tfjs-layers");
for (const [name, fn] of Object.entries(tfc)) {
  if (typeof fn === "function" && /^[a-z]/.test(name) && !(name in tfc.Tensor.prototype)) {
    tfc.Tensor.prototype[name] = function (...a) { return fn(this, ...a); };
  }
}
tfc.Tensor.prototype.flatten = function () { return tfc.reshape(this, [this.size]); };
wasm.setWasmPaths(join(dirname(require.resolve("@tensorflow/tfjs-backend-wasm/package.json")), "dist") + "/");

const mnist = dt.datasets.mnist.loadArrays("train", BATCH * (STEPS + 2) + INFER);

function architecture(api, kind) {
  const L = api.layers;
  if (kind === "mlp") return [L.flatten({ inputShape: [28, 28, 1] }), L.dense({ units: 128, activation: "relu" }), L.dense({ units: 10, activation: "softmax" })];
  if (kind === "cnn") return [L.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3, activation: "relu" }), L.flatten(), L.dense({ units: 10, activation: "softmax" })];
  return [L.simpleRNN({ inputShape: [28, 28], units: 64 }), L.dense({ units: 10, activation: "softmax" })];
}

const shortError = (e) => String(e?.message ?? e).replace(/ for backend.*/, "").slice(0, 50);

async function measure(framework, backend, kind) {
  const deepts = framework === "deepts";
  const T = deepts ? dt : tfc;
  await T.setBackend(backend);
  await T.ready();
  const api = deepts ? dt : tfl;
  const model = api.sequential({ layers: architecture(api, kind) });
  model.compile({ optimizer: deepts ? dt.train.adam(0.001) : tfc.train.adam(0.001), loss: "sparseCategoricalCrossentropy" });
  const shape = kind === "rnn" ? [28, 28] : [28, 28, 1];
  const images = (start, n) => T.tensor(mnist.images.subarray(start * 784, (start + n) * 784), [n, ...shape], "float32");
  const labels = (start, n) => T.tensor(Float32Array.from(mnist.labels.subarray(start, start + n)), [n], "float32");
  const batches = Array.from({ length: STEPS + 2 }, (_, i) => [images(i * BATCH, BATCH), labels(i * BATCH, BATCH)]);
  let trainRate;
  try {
    for (const [x, y] of batches.slice(0, 2)) await model.trainOnBatch(x, y); // warm-up (kernel compilation, allocations)
    const t = performance.now();
    for (const [x, y] of batches.slice(2)) await model.trainOnBatch(x, y);
    trainRate = (STEPS * BATCH) / ((performance.now() - t) / 1000);
  } catch (e) {
    trainRate = { error: shortError(e) };
  }
  const inferX = images(BATCH * (STEPS + 2), INFER);
  const warm = model.predict(inferX, { batchSize: 128 });
  await warm.data();
  const t = performance.now();
  const out = model.predict(inferX, { batchSize: 128 });
  await out.data();
  const inferRate = INFER / ((performance.now() - t) / 1000);
  T.dispose([...batches.flat(), inferX, warm, out]);
  model.dispose?.();
  return { trainRate, inferRate };
}

const rows = [];
for (const kind of MODELS) {
  const results = {};
  for (const b of BACKENDS) {
    const [framework, backend] = b.split("-");
    try {
      results[b] = await measure(framework, backend, kind);
    } catch (e) {
      results[b] = { trainRate: { error: shortError(e) }, inferRate: { error: shortError(e) } };
    }
    process.stderr.write(`${kind} ${b}: ${JSON.stringify(results[b])}\n`);
  }
  rows.push([kind, results]);
}

const fmt = (v) => (v === undefined ? "—" : v >= 100 ? v.toFixed(0) : v.toFixed(1));
const base = "tfjs-cpu";
console.log(`\nMNIST throughput, samples/s (Adam, batch ${BATCH}; train over ${STEPS} steps after 2 warm-up steps; predict ${INFER} in batches of 128)`);
console.log(`ratio = deepts / TF.js cpu\n`);
const header = ["model", "phase", ...BACKENDS, ...BACKENDS.filter((b) => b.startsWith("deepts")).map((b) => `${b} / ${base}`)];
console.log(header.join(" | "));
console.log(header.map(() => "---").join(" | "));
for (const [kind, results] of rows) {
  for (const [phase, key] of [["train", "trainRate"], ["predict", "inferRate"]]) {
    const value = (b) => results[b]?.[key];
    const cells = BACKENDS.map((b) => (typeof value(b) === "number" ? fmt(value(b)) : `error: ${value(b)?.error}`));
    const ratios = BACKENDS.filter((b) => b.startsWith("deepts")).map((b) => {
      const a = value(b);
      const r = value(base);
      return typeof a === "number" && typeof r === "number" ? (a / r).toFixed(2) + "×" : "—";
    });
    console.log([kind, phase, ...cells, ...ratios].join(" | "));
  }
}
const jsonFile = arg("--json", undefined);
if (jsonFile) writeFileSync(jsonFile, JSON.stringify({ steps: STEPS, batch: BATCH, infer: INFER, unit: "samples/s", results: Object.fromEntries(rows) }, null, 1));
