// Builds deepts's optional native pieces at `npm install`; a failed build is never an error (the
// package still installs, and the runtime simply does not register the backend that needs it):
// - the native backend (src/runtime/backends/native/csrc/build/Release/deepts_native.node, over
//   OpenBLAS). Set DEEPTS_NATIVE=0 to skip it.
// - headless-gl (the optional `gl` package, for the gpu.js `headlessgl` backend), but only when npm
//   installed `gl` without running its own install script (npm's allowScripts policy can skip
//   dependencies' scripts), so that its binary is missing. It is built from source, never
//   downloaded. Set DEEPTS_GL=0 to skip it.
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

buildNativeAddon();
buildHeadlessGl();

function buildNativeAddon() {
  if (process.env.DEEPTS_NATIVE === "0") {
    console.log("deepts: native backend build skipped (DEEPTS_NATIVE=0)");
    return;
  }
  const result = nodeGyp(here);
  if (result.status === 0) {
    console.log("deepts: native backend built (OpenBLAS)");
    return;
  }
  console.log(
    `deepts: native backend not built (${why(result)}); the cpu and webasm backends still work. ` +
      "Install g++, make, python3 and libopenblas-dev, then run `npm rebuild deepts` (or `node src/runtime/backends/native/csrc/build.mjs`).",
  );
  if (process.env.DEEPTS_NATIVE_VERBOSE) console.log(result.stdout, result.stderr);
}

function buildHeadlessGl() {
  if (process.env.DEEPTS_GL === "0") return;
  let glDir;
  try {
    glDir = dirname(createRequire(import.meta.url).resolve("gl/package.json"));
  } catch {
    // not installed: it is optional, and npm removes it when its own build failed
    return;
  }
  if (existsSync(join(glDir, "build/Release/webgl.node"))) return;
  const missing = GL_PKG_CONFIG.filter((lib) => spawnSync("pkg-config", ["--exists", lib]).status !== 0);
  if (missing.length > 0) {
    console.log(
      `deepts: headless-gl (the optional gl package) is not built and cannot be (pkg-config finds no ${missing.join(", ")}); ` +
        `the headlessgl backend is off. Install ${GL_APT}, then run \`node src/runtime/backends/native/csrc/build.mjs\`.`,
    );
    return;
  }
  console.log("deepts: building headless-gl (the optional gl package) from source; this takes a few minutes");
  const result = nodeGyp(glDir);
  if (result.status === 0) {
    console.log("deepts: headless-gl built; the headlessgl backend registers where an X display is available");
  } else {
    console.log(`deepts: headless-gl not built (${why(result)}); the headlessgl backend is off`);
    if (process.env.DEEPTS_NATIVE_VERBOSE) console.log(result.stdout, result.stderr);
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
