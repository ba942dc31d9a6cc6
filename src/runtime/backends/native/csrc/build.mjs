// Builds the optional native backend (src/runtime/backends/native/csrc/build/Release/deepts_native.node) at `npm install`.
// A failed build (no C++ toolchain, no OpenBLAS) is not an error: the package still installs and the
// runtime simply does not register the "native" backend. Set DEEPTS_NATIVE=0 to skip the build.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));

if (process.env.DEEPTS_NATIVE === "0") {
  console.log("deepts: native backend build skipped (DEEPTS_NATIVE=0)");
  process.exit(0);
}

// npm hands its bundled node-gyp to lifecycle scripts; outside npm, use npm's copy next to node.
const prefix = dirname(dirname(process.execPath));
const bundled = join(prefix, "lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js");
const gyp = process.env.npm_config_node_gyp ?? (existsSync(bundled) ? bundled : undefined);
const [command, args] = gyp ? [process.execPath, [gyp]] : ["node-gyp", []];
// Build against the headers installed with node when they are there (no download needed).
const headers = join(prefix, "include/node/node_api.h");
const nodedir = !process.env.npm_config_nodedir && existsSync(headers) ? [`--nodedir=${prefix}`] : [];
const result = spawnSync(command, [...args, "rebuild", ...nodedir], {
  cwd: here,
  stdio: ["ignore", "pipe", "pipe"],
  encoding: "utf8",
});

if (result.status === 0) {
  console.log("deepts: native backend built (OpenBLAS)");
} else {
  const why = result.error?.message ?? lastLine(`${result.stderr}`) ?? `exit ${result.status}`;
  console.log(
    `deepts: native backend not built (${why}); the cpu and webasm backends still work. ` +
      "Install g++, make, python3 and libopenblas-dev, then run `npm rebuild deepts` (or `node src/runtime/backends/native/csrc/build.mjs`).",
  );
  if (process.env.DEEPTS_NATIVE_VERBOSE) console.log(result.stdout, result.stderr);
}

function lastLine(text) {
  const lines = text.split("\n").map((l) => l.trim()).filter((l) => l.length > 0 && !l.startsWith("gyp info"));
  const error = lines.find((l) => /error/i.test(l));
  return error ?? lines.at(-1);
}
