// The API census: every public name of TensorFlow.js 4.22 (the `@tensorflow/tfjs-core` and
// `@tensorflow/tfjs-layers` packages in node_modules, plus tf.data from tfjs-data's sources, which
// are not installed) and whether deepts's `tf` has it. Names outside EXCLUSIONS that deepts lacks are
// "missing". test/models/census.test.ts holds the checked-in list of names still expected missing.
//
// Usage: npm run census                (needs `npm run build`: reads dist/tf.js)
//        node bench/census.js --json   (every name with its status)
//        node bench/census.js --readme (rewrites README.md's exclusion section from EXCLUSIONS)
//        node bench/census.js --update (drops names that are no longer missing from the expected list)
//        node bench/census.js --tf DIR (another build's tf.js, e.g. main's dist/, for before/after figures)
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");
const require = createRequire(import.meta.url);

/** The checked-in list of names the census test accepts as missing (one per line; it may only shrink). */
export const EXPECTED_MISSING_FILE = join(root, "test/models/census-expected-missing.txt");

// ------------------------------------------------------------------------------------------- exclusions

/**
 * Names deepts does not aim to have, each group with its reason. A name is written as it is reached
 * from `tf`: `browser.fromPixels`; a trailing `*` matches a prefix (`backend_util*`); `Tensor#x` is
 * a member of a Tensor. The README's "API census" section is generated from this list.
 */
export const EXCLUSIONS = [
  {
    group: "Kernel name constants",
    reason:
      "tfjs-core exports each kernel's name as a string constant (`tf.Abs === 'Abs'`, 180 of them) for " +
      "backend authors who call `registerKernel`; deepts declares its kernels in src/runtime/kernels.ts " +
      "and registers backends through `tf.registerBackend`.",
    kernelNames: true,
    names: [],
  },
  {
    group: "Backend-author internals",
    reason:
      "helpers and registries for writing a tfjs-core backend or op library (kernel and gradient " +
      "registries, shape utilities of its kernels, its test helpers); deepts backends implement " +
      "`Backend` (src/runtime/backend.ts) instead.",
    names: [
      "backend_util*",
      "kernel_impls*",
      "broadcast_util*",
      "gather_util*",
      "scatter_util*",
      "slice_util*",
      "tensor_util*",
      "test_util*",
      "KernelBackend",
      "DataStorage",
      "registerKernel",
      "unregisterKernel",
      "getKernel",
      "getKernelsForBackend",
      "copyRegisteredKernels",
      "registerGradient",
      "unregisterGradient",
      "getGradient",
      "findBackendFactory",
      "op",
      "OP_SCOPE_SUFFIX",
      "MathBackendCPU",
      "shared",
      "version_cpu",
    ],
  },
  {
    group: "Browser-only",
    reason:
      "read or write DOM objects (canvas, video, images), files a page's user picks, or the browser's " +
      "devices; a Node kernel has none of them. Files are read with `file://` paths instead (the " +
      "browser's model URLs, `indexeddb://`, `localstorage://` and `downloads://`, work: a store on disk).",
    names: ["browser*", "device_util*", "io.browserFiles", "io.browserHTTPRequest", "data.microphone", "data.webcam"],
  },
  {
    group: "Network loading",
    reason:
      "fetch models and weights over http(s); deepts works offline (nothing is downloaded at run time, " +
      "and `loadLayersModel` says so for an http URL): fetch the files yourself and load them with " +
      "`file://` paths or `tf.io.fromMemory`.",
    names: ["io.http", "io.loadWeights", "io.weightsLoaderFactory"],
  },
  {
    group: "WebGL backend",
    reason:
      "the exports of @tensorflow/tfjs-backend-webgl (its GPGPU context and flags); deepts's GPU backends " +
      "are `webgpu` and `headlessgl`, chosen with `tf.setBackend`.",
    names: [
      "Tensor#dataToGPU",
      "GPGPUContext",
      "MathBackendWebGL",
      "forceHalfFloat",
      "gpgpu_util",
      "setWebGLContext",
      "version_webgl",
      "webgl",
    ],
  },
  {
    group: "Engine and graph bookkeeping",
    reason:
      "fields TF.js keeps for its own engine and Keras-port graph walk (tidy scope ids, the mask " +
      "slot, a type-only rank marker, node and layer indices by depth, container node keys, the " +
      "training-loop internals behind `fit`): public in its TypeScript declarations but not in its API " +
      "docs. deepts's graph exposes `model.layers`, `inputs`, `outputs`, `getLayer`.",
    names: [
      "Tensor#scopeId",
      "Tensor#kerasMask",
      "Tensor#rankType",
      "ENV.flagRegistry",
      "LayersModel#containerNodes",
      "LayersModel#feedInputShapes",
      "LayersModel#inputLayersNodeIndices",
      "LayersModel#inputLayersTensorIndices",
      "LayersModel#internalContainerRefs",
      "LayersModel#layersByDepth",
      "LayersModel#nodesByDepth",
      "LayersModel#outputLayersNodeIndices",
      "LayersModel#outputLayersTensorIndices",
      "LayersModel#metricsTensors",
      "LayersModel#fitLoop",
      "layers.Layer#setFastWeightInitDuringBuild",
    ],
  },
  {
    group: "Graph models (tfjs-converter)",
    reason:
      "run converted TensorFlow SavedModel / Keras graphs op by op through tfjs-converter's hundreds " +
      "of TensorFlow op mappings: a separate project. Layers models (`tf.loadLayersModel`) are supported.",
    names: ["GraphModel", "loadGraphModel", "loadGraphModelSync", "registerOp", "deregisterOp", "getRegisteredOp"],
  },
  {
    group: "String tensors",
    reason:
      "deepts tensors are float32, int32 or bool: there is no string dtype for these ops to take or " +
      "return (use JavaScript strings and `tf.oneHot`/lookup tables instead). `util.fingerPrint64` and " +
      "`util.hexToLong` are the 64-bit string hashing behind `tf.string.stringToHashBucketFast` (long.js values).",
    names: [
      "string*",
      "util.encodeString",
      "util.decodeString",
      "util.bytesFromStringArray",
      "util.fingerPrint64",
      "util.hexToLong",
    ],
  },
  {
    group: "Complex numbers",
    reason:
      "deepts tensors are real (float32, int32, bool): there is no complex64 dtype for `tf.complex`/`real`/`imag` " +
      "and the FFTs (`tf.spectral.*`, `tf.signal.stft`) to produce or take. Real-valued signal processing is there " +
      "(`tf.signal.frame`, `hannWindow`, `hammingWindow`).",
    names: [
      "complex",
      "real",
      "imag",
      "fft",
      "ifft",
      "rfft",
      "irfft",
      "spectral*",
      "signal.stft",
      "Tensor#fft",
      "Tensor#ifft",
      "Tensor#rfft",
      "Tensor#irfft",
    ],
  },
  {
    group: "Platform plumbing",
    reason:
      "tfjs-core's platform abstraction (browser vs Node fetch, text codecs, timers) and its URL-flag parsing; " +
      "deepts runs on Node only.",
    names: ["setPlatform", "ENV.platform", "ENV.platformName", "ENV.getQueryParams", "ENV.urlFlags", "ENV.global"],
  },
];

function exclusionOf(name, kernelNames) {
  for (const ex of EXCLUSIONS) {
    if (ex.kernelNames && kernelNames.has(name)) return ex;
    for (const pattern of ex.names) {
      if (pattern.endsWith("*") ? name.startsWith(pattern.slice(0, -1)) : name === pattern) return ex;
    }
  }
  return undefined;
}

// ------------------------------------------------------------------------------------------- TF.js's names

/** tf.data's public names (tfjs-data 4.22 src/index.ts and the public members of Dataset / CSVDataset). */
const TFJS_DATA = {
  namespace: [
    "array",
    "zip",
    "csv",
    "func",
    "generator",
    "microphone",
    "webcam",
    "Dataset",
    "CSVDataset",
    "TextLineDataset",
    "FileDataSource",
    "URLDataSource",
  ],
  dataset: [
    "size",
    "iterator",
    "batch",
    "concatenate",
    "filter",
    "forEachAsync",
    "map",
    "mapAsync",
    "prefetch",
    "repeat",
    "skip",
    "shuffle",
    "take",
    "toArray",
    "toArrayForTest",
  ],
};

/** What the union package @tensorflow/tfjs exports beside tfjs-core and tfjs-layers (from its index.ts). */
const UNION_EXTRAS = [
  "version",
  "data",
  "GraphModel",
  "loadGraphModel",
  "loadGraphModelSync",
  "registerOp",
  "deregisterOp",
  "getRegisteredOp",
  "MathBackendCPU",
  "shared",
  "version_cpu",
  "GPGPUContext",
  "MathBackendWebGL",
  "forceHalfFloat",
  "gpgpu_util",
  "setWebGLContext",
  "version_webgl",
  "webgl",
];

/**
 * Classes whose public instance members (from the TF.js declarations) are counted, as `Class#member`.
 * A subclass counts only the members its listed base class does not have.
 */
const CLASSES = [
  { name: "Tensor", module: "core", path: "Tensor" },
  { name: "Variable", module: "core", path: "Variable", base: "Tensor" },
  { name: "TensorBuffer", module: "core", path: "TensorBuffer" },
  { name: "Optimizer", module: "core", path: "Optimizer" },
  { name: "layers.Layer", module: "layers", path: "layers.Layer" },
  { name: "LayersModel", module: "layers", path: "LayersModel", base: "layers.Layer" },
  { name: "Sequential", module: "layers", path: "Sequential", base: "LayersModel" },
];

function tfjsPackages() {
  const core = require("@tensorflow/tfjs-core");
  const layers = require("@tensorflow/tfjs-layers");
  const kernelNames = new Set(Object.keys(require("@tensorflow/tfjs-core/dist/kernel_names.js")));
  return { core, layers, kernelNames };
}

/** Namespace objects whose members are listed one by one (the others are single values). */
function isNamespace(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Every public top-level and namespace-member name of TF.js 4.22. */
function tfjsValueNames({ core, layers }) {
  const top = { ...core, ...layers };
  const names = new Set();
  for (const [key, value] of Object.entries(top)) {
    names.add(key);
    if (!isNamespace(value)) continue;
    for (const member of Object.keys(value)) if (!/^\d+$/.test(member)) names.add(`${key}.${member}`);
  }
  for (const n of UNION_EXTRAS) names.add(n);
  for (const n of TFJS_DATA.namespace) names.add(`data.${n}`);
  for (const n of TFJS_DATA.dataset) names.add(`data.Dataset#${n}`);
  names.add("data.CSVDataset#columnNames");
  return names;
}

/** Public instance members of CLASSES, read from the TF.js type declarations with the TypeScript checker. */
function tfjsMemberNames() {
  const ts = require("typescript");
  const files = {
    core: require.resolve("@tensorflow/tfjs-core/dist/index.d.ts"),
    chained: require.resolve("@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops.d.ts"),
    layers: require.resolve("@tensorflow/tfjs-layers/dist/index.d.ts"),
  };
  const program = ts.createProgram(Object.values(files), {
    target: ts.ScriptTarget.ES2022,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    skipLibCheck: true,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const hidden = ts.ModifierFlags.Private | ts.ModifierFlags.Protected;
  const names = new Set();
  const membersOf = new Map();
  for (const cls of CLASSES) {
    const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(files[cls.module]));
    let symbol = moduleSymbol;
    for (const part of cls.path.split(".")) {
      symbol = checker.getExportsOfModule(symbol).find((s) => s.name === part);
      if (!symbol) throw new Error(`census: ${cls.path} is not exported by tfjs-${cls.module}`);
      if (symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
    }
    const instance = checker.getDeclaredTypeOfSymbol(symbol);
    const members = new Set();
    for (const prop of checker.getPropertiesOfType(instance)) {
      const decls = prop.declarations ?? [];
      if (decls.some((d) => ts.getCombinedModifierFlags(d) & hidden)) continue;
      if (prop.name.startsWith("__")) continue;
      members.add(prop.name);
    }
    membersOf.set(cls.name, members);
    const inherited = cls.base ? membersOf.get(cls.base) : new Set();
    for (const m of members) if (!inherited.has(m)) names.add(`${cls.name}#${m}`);
  }
  return names;
}

/** Sample instances of deepts's classes, for the `Class#member` names. */
function deeptsInstances(tf) {
  const make = {
    Tensor: () => tf.scalar(1),
    Variable: () => tf.variable(tf.scalar(1), false, "census_variable"),
    TensorBuffer: () => tf.buffer([1]),
    Optimizer: () => tf.train.sgd(0.1),
    LayersModel: () => {
      const input = tf.input({ shape: [1] });
      return tf.model({ inputs: input, outputs: tf.layers.dense({ units: 1 }).apply(input) });
    },
    Sequential: () => tf.sequential(),
    "layers.Layer": () => tf.layers.dense({ units: 1 }),
    "data.Dataset": () => tf.data?.array?.([1]),
    // A CSVDataset needs a file: its methods are looked up on the class.
    "data.CSVDataset": () => tf.data?.CSVDataset?.prototype,
  };
  const out = {};
  for (const [cls, f] of Object.entries(make)) {
    try {
      out[cls] = f();
    } catch {
      out[cls] = undefined;
    }
  }
  return out;
}

/** Whether deepts's `tf` has `name` (a dotted path, or `Class#member` checked on an instance). */
function deeptsHas(tf, instances, name) {
  const hash = name.indexOf("#");
  if (hash >= 0) {
    const obj = instances[name.slice(0, hash)];
    return obj != null && name.slice(hash + 1) in obj;
  }
  let value = tf;
  for (const part of name.split(".")) {
    if (value == null || (typeof value !== "object" && typeof value !== "function") || !(part in value)) return false;
    value = value[part];
  }
  return true;
}

/**
 * Runs the census against deepts's `tf` namespace. Returns every TF.js name with its status
 * (`present`, `missing`, or `excluded` with the group) and the counts.
 */
export function census(tf) {
  const pkgs = tfjsPackages();
  const all = [...tfjsValueNames(pkgs), ...tfjsMemberNames()].sort();
  const instances = deeptsInstances(tf);
  const rows = all.map((name) => {
    const ex = exclusionOf(name, pkgs.kernelNames);
    if (ex) return { name, status: "excluded", group: ex.group };
    return { name, status: deeptsHas(tf, instances, name) ? "present" : "missing" };
  });
  const count = (s) => rows.filter((r) => r.status === s).length;
  return {
    rows,
    total: rows.length,
    excluded: count("excluded"),
    present: count("present"),
    missing: rows.filter((r) => r.status === "missing").map((r) => r.name),
  };
}

/** The names in the checked-in expected-missing list. */
export function readExpectedMissing() {
  return readFileSync(EXPECTED_MISSING_FILE, "utf8")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"));
}

/** The README section listing EXCLUSIONS (between the census markers). */
export function exclusionsMarkdown() {
  const lines = ["| excluded | names | why |", "| --- | --- | --- |"];
  for (const ex of EXCLUSIONS) {
    const names = ex.kernelNames
      ? "`tf.Abs`, `tf.Conv2D`, … (kernel_names)"
      : ex.names.map((n) => `\`${n}\``).join(", ");
    lines.push(`| ${ex.group} | ${names} | ${ex.reason} |`);
  }
  return lines.join("\n");
}

export const README_BEGIN = "<!-- census:exclusions:begin (generated by `node bench/census.js --readme`) -->";
export const README_END = "<!-- census:exclusions:end -->";

function rewriteReadme() {
  const file = join(root, "README.md");
  const text = readFileSync(file, "utf8");
  const a = text.indexOf(README_BEGIN);
  const b = text.indexOf(README_END);
  if (a < 0 || b < a) throw new Error(`census: README.md has no ${README_BEGIN} … ${README_END} section`);
  writeFileSync(file, text.slice(0, a + README_BEGIN.length) + "\n" + exclusionsMarkdown() + "\n" + text.slice(b));
}

function groupOf(name) {
  const hash = name.indexOf("#");
  if (hash >= 0) return `${name.slice(0, hash)}#`;
  const dot = name.indexOf(".");
  return dot >= 0 ? `${name.slice(0, dot)}.` : "tf.";
}

async function main() {
  const argv = process.argv.slice(2);
  if (argv.includes("--readme")) {
    rewriteReadme();
    console.log("README.md: census exclusions rewritten");
    return;
  }
  const at = argv.indexOf("--tf");
  const tfFile = at >= 0 ? join(argv[at + 1], "tf.js") : join(root, "dist/tf.js");
  const tf = await import(pathToFileURL(tfFile).href);
  const result = census(tf);
  if (argv.includes("--json")) {
    console.log(JSON.stringify(result, null, 1));
    return;
  }
  if (argv.includes("--update")) {
    const missing = new Set(result.missing);
    const kept = readExpectedMissing().filter((n) => missing.has(n));
    const header = readFileSync(EXPECTED_MISSING_FILE, "utf8")
      .split("\n")
      .filter((l) => l.startsWith("#"));
    writeFileSync(EXPECTED_MISSING_FILE, [...header, ...kept].join("\n") + "\n");
    console.log(`${EXPECTED_MISSING_FILE}: ${kept.length} names still missing`);
    return;
  }
  const groups = new Map();
  for (const r of result.rows) {
    const g = groupOf(r.name);
    const e = groups.get(g) ?? { present: 0, missing: [], excluded: 0 };
    if (r.status === "missing") e.missing.push(r.name);
    else e[r.status]++;
    groups.set(g, e);
  }
  console.log(
    `TF.js 4.22 public names: ${result.total}; deepts has ${result.present}, lacks ${result.missing.length}, ` +
      `${result.excluded} excluded (README "API census")`,
  );
  for (const [g, e] of [...groups.entries()].sort()) {
    if (e.missing.length === 0 && e.present === 0) continue;
    console.log(`\n${g.padEnd(16)} present ${e.present}, missing ${e.missing.length}, excluded ${e.excluded}`);
    if (e.missing.length) console.log(`  ${e.missing.join(" ")}`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
}
