// Builds deepts's optional native pieces at `npm install` (and `npm run build:native`); a failed
// build is never an error (the package still installs, and the runtime simply does not register
// the backend that needs it). It ends with one line per backend: built, skipped, and how to add it.
// - the native backend (src/runtime/backends/native/csrc/build/Release/deepts_native.node, over
//   OpenBLAS): built by default. DEEPTS_NATIVE=0 skips it.
// - headless-gl (the optional `gl` package, for the gpu.js `headlessgl` backend): only on request,
//   DEEPTS_GL=1, since it compiles for minutes. package.json's allowScripts denies gl's own install
//   script (it would download a prebuilt binary, or compile silently); this builds it from source.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
// What gl (headless-gl 8) needs besides a C++ toolchain: pkg-config finds these X libraries, and
// its ANGLE sources include GL/glx.h.
const GL_PKG_CONFIG = ["x11", "xi", "xext"];
const GL_APT = "libx11-dev libxext-dev libxi-dev libgl-dev pkg-config (and xvfb to run it without a display)";
const NATIVE_APT = "g++ make python3 libopenblas-dev";

const report = [buildNativeAddon(), buildHeadlessGl(), webGpuLine()];
console.log(
  [
    "deepts backends:",
    "  cpu, wasm, webasm  always there (TypeScript and WebAssembly; wasm is the default without native)",
    ...report.map((l) => `  ${l}`),
  ].join("\n"),
);

function buildNativeAddon() {
  if (process.env.DEEPTS_NATIVE === "0") return "native       skipped (DEEPTS_NATIVE=0)";
  const result = nodeGyp(here);
  if (result.status === 0) return "native       built (C++ over OpenBLAS): the default, the fastest on a CPU";
  if (process.env.DEEPTS_NATIVE_VERBOSE) console.log(result.stdout, result.stderr);
  return (
    `native       NOT built (${why(result)}): notebooks run several times slower. ` +
    `To add it: install ${NATIVE_APT} (apt; Xcode tools + openblas on macOS), then \`npm run build:native\``
  );
}

function buildHeadlessGl() {
  let glDir;
  try {
    glDir = dirname(createRequire(import.meta.url).resolve("gl/package.json"));
  } catch {
    // not installed: it is optional
    return "headlessgl   off (the optional gl package is not installed)";
  }
  if (existsSync(join(glDir, "build/Release/webgl.node"))) return "headlessgl   built (WebGL through headless-gl)";
  if (process.env.DEEPTS_GL !== "1")
    return "headlessgl   not built (optional WebGL backend; compiles for minutes): `DEEPTS_GL=1 npm run build:native`";
  const missing = GL_PKG_CONFIG.filter((lib) => spawnSync("pkg-config", ["--exists", lib]).status !== 0);
  if (missing.length > 0)
    return `headlessgl   NOT built (pkg-config finds no ${missing.join(", ")}): install ${GL_APT}, then \`DEEPTS_GL=1 npm run build:native\``;
  console.log("deepts: building headless-gl (the optional gl package) from source; this takes a few minutes");
  const result = nodeGyp(glDir);
  if (result.status === 0) return "headlessgl   built (WebGL through headless-gl; needs an X display, e.g. Xvfb)";
  if (process.env.DEEPTS_NATIVE_VERBOSE) console.log(result.stdout, result.stderr);
  return `headlessgl   NOT built (${why(result)})`;
}

function webGpuLine() {
  try {
    createRequire(import.meta.url).resolve("webgpu");
    return "webgpu       available (Dawn, from the optional webgpu package): the default when a GPU answers";
  } catch {
    return "webgpu       off (the optional webgpu package is not installed)";
  }
}

/** Runs `node-gyp rebuild` in `cwd`, against the headers installed with node when they are there. */
function nodeGyp(cwd) {
  // npm hands its bundled node-gyp to lifecycle scripts; outside npm, use npm's copy next to node.
  const prefix = dirname(dirname(process.execPath));
  const bundled = join(prefix, "lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js");
  const gyp = process.env.npm_config_node_gyp ?? (existsSync(bundled) ? bundled : undefined);
  const [command, args] = gyp ? [process.execPath, [gyp]] : ["node-gyp", []];
  // Build against the headers installed with node when they are there (no download needed).
  const headers = join(prefix, "include/node/node_api.h");
  const nodedir = !process.env.npm_config_nodedir && existsSync(headers) ? [`--nodedir=${prefix}`] : [];
  return spawnSync(command, [...args, "rebuild", "--jobs=max", ...nodedir], {
    cwd,
    stdio: ["ignore", "pipe", "pipe"],
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
}

function why(result) {
  return result.error?.message ?? lastLine(`${result.stderr}`) ?? `exit ${result.status}`;
}

function lastLine(text) {
  const lines = text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l.length > 0 && !l.startsWith("gyp info"));
  const error = lines.find((l) => /error/i.test(l));
  return error ?? lines.at(-1);
}
