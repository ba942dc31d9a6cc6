/**
 * Runs a corpus program two ways: as one cell in the real deepts kernel (started from dist/, talked
 * to over ZeroMQ as a Jupyter client), and as a plain Node program on real TF.js 4.22
 * (tfjs-core + tfjs-layers on the cpu backend, and tfjs-data when installed) as the reference.
 * Each program prints its result as one JSON line; `run*` return it parsed.
 *
 * Shared by test/corpus/corpus.test.ts (small sizes) and bench/corpus.js (bigger ones).
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, "../..");
const require = createRequire(path.join(repoRoot, "package.json"));

/** The program's source text (as pasted into a cell). */
export function programSource(file) {
  return readFileSync(path.join(here, "programs", file), "utf8");
}

/**
 * The program as the fast test suite runs it: each `[from, to]` of `small` replaces (everywhere) a
 * size constant (training steps, epochs, data counts, layer widths), the same way for deepts and
 * for TF.js.
 */
export function smallVersion(code, small = []) {
  let out = code;
  for (const [from, to] of small) {
    if (!out.includes(from)) throw new Error(`size substitution not found in the program: ${from}`);
    out = out.split(from).join(to);
  }
  return out;
}

/** The last stdout line that is a JSON object: the program's result. */
export function lastJsonLine(text) {
  const lines = text.split("\n").map((l) => l.trim());
  for (let i = lines.length - 1; i >= 0; i--) {
    if (!lines[i].startsWith("{")) continue;
    try {
      return JSON.parse(lines[i]);
    } catch {
      // not the result line
    }
  }
  return undefined;
}

/**
 * Runs `code` as one execute_request on a fresh deepts kernel in a scratch folder.
 * Resolves `{ status, result, stdout, error, seconds }`; never rejects for a failing cell.
 */
export async function runInKernel(code, { scale = 1, timeoutMs = 600_000 } = {}) {
  const { LocalKernel } = await import(pathToFileURL(path.join(repoRoot, "dist/runner/kernel-process.js")).href);
  const cwd = mkdtempSync(path.join(tmpdir(), "deepts-corpus-"));
  const kernel = await LocalKernel.start({ cwd, env: { CORPUS_SCALE: String(scale), DEEPTS_HISTORY_FILE: "" } });
  const started = performance.now();
  let stdout = "";
  let stderr = "";
  let msgId;
  const early = [];
  const off = kernel.client.onIopub((m) => {
    if (msgId === undefined) early.push(m);
    else collect(m);
  });
  const collect = (m) => {
    if (m.parent_header.msg_id !== msgId || m.header.msg_type !== "stream") return;
    if (m.content.name === "stdout") stdout += m.content.text;
    else stderr += m.content.text;
  };
  try {
    const sent = kernel.client.send("shell", "execute_request", {
      code,
      silent: false,
      store_history: false,
      user_expressions: {},
      allow_stdin: false,
      stop_on_error: true,
    });
    msgId = sent.msgId;
    for (const m of early.splice(0)) collect(m);
    const reply = await Promise.race([
      sent.reply,
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error(`no reply within ${timeoutMs / 1000} s`)), timeoutMs),
      ),
    ]);
    // Stream output arrives on iopub before the idle status; give it a moment.
    await new Promise((r) => setTimeout(r, 200));
    const seconds = (performance.now() - started) / 1000;
    const content = reply.content;
    if (content.status !== "ok") {
      return {
        status: "error",
        error: `${content.ename}: ${content.evalue}`,
        traceback: (content.traceback ?? []).join("\n"),
        stdout,
        stderr,
        seconds,
      };
    }
    const result = lastJsonLine(stdout);
    if (!result) return { status: "error", error: "the program printed no JSON result", stdout, stderr, seconds };
    return { status: "ok", result, stdout, stderr, seconds };
  } catch (e) {
    return { status: "error", error: String(e), stdout, stderr, seconds: (performance.now() - started) / 1000 };
  } finally {
    off();
    await kernel.shutdown();
    rmSync(cwd, { recursive: true, force: true });
  }
}

let shimDir;

/**
 * A folder whose node_modules has `@tensorflow/tfjs` and `@tensorflow/tfjs-node` standing for what
 * the real packages give (tfjs-core with its chained ops, the cpu backend, tfjs-layers, tfjs-data
 * when installed, and `file://` model saving), built from the TF.js packages deepts tests against.
 */
function referenceShim() {
  if (shimDir && existsSync(shimDir)) return shimDir;
  shimDir = mkdtempSync(path.join(tmpdir(), "deepts-corpus-tfjs-"));
  const impl = path.join(here, "tfjs-reference.cjs");
  // ES modules see a CommonJS module's names only when they are spelled out: list them.
  const names = Object.keys(require(impl)).filter((n) => /^[A-Za-z_$][\w$]*$/.test(n) && n !== "default");
  const esm = `import { createRequire } from "node:module";
const __tfjs = createRequire(import.meta.url)(${JSON.stringify(impl)});
export default __tfjs;
export const { ${names.join(", ")} } = __tfjs;
`;
  for (const name of ["tfjs", "tfjs-node"]) {
    const dir = path.join(shimDir, "node_modules", "@tensorflow", name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      path.join(dir, "package.json"),
      JSON.stringify({
        name: `@tensorflow/${name}`,
        main: "index.cjs",
        exports: { import: "./index.mjs", require: "./index.cjs" },
      }),
    );
    writeFileSync(path.join(dir, "index.cjs"), `module.exports = require(${JSON.stringify(impl)});\n`);
    writeFileSync(path.join(dir, "index.mjs"), esm);
  }
  return shimDir;
}

/** True when the reference can run tf.data programs (tfjs-data is installed). */
export function referenceHasData() {
  try {
    require.resolve("@tensorflow/tfjs-data");
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs `code` as a Node ES module on TF.js (the cell's `tf`, `import … from "@tensorflow/tfjs"`
 * and `require` all give the TF.js shim). TypeScript programs are transpiled first.
 */
/** Reference runs still going: killed if this process ends first (a test that timed out). */
const referenceChildren = new Set();
process.once("exit", () => {
  for (const child of referenceChildren) child.kill("SIGKILL");
});

export async function runReference(code, { scale = 1, typescript = false, timeoutMs = 600_000 } = {}) {
  const dir = referenceShim();
  let js = code;
  if (typescript) {
    const ts = require("typescript");
    js = ts.transpileModule(code, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false },
    }).outputText;
  }
  const prelude = [];
  if (!/import\s+\*\s+as\s+tf\s+from|const\s+tf\s*=\s*require/.test(js))
    prelude.push("import * as tf from '@tensorflow/tfjs';");
  if (/\brequire\s*\(/.test(js))
    prelude.push(
      "import { createRequire as __corpusRequire } from 'node:module'; const require = __corpusRequire(import.meta.url);",
    );
  const file = path.join(dir, `program-${process.pid}-${Math.random().toString(36).slice(2)}.mjs`);
  writeFileSync(file, `${prelude.join("\n")}\n${js}`);
  const started = performance.now();
  return await new Promise((resolve) => {
    const child = spawn(process.execPath, [file], {
      cwd: dir,
      env: { ...process.env, CORPUS_SCALE: String(scale) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    referenceChildren.add(child);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("close", (codeOrNull) => {
      referenceChildren.delete(child);
      clearTimeout(timer);
      rmSync(file, { force: true });
      const seconds = (performance.now() - started) / 1000;
      const result = lastJsonLine(stdout);
      if (codeOrNull !== 0 || !result) {
        const tail = stderr.trim().split("\n").slice(-6).join("\n");
        resolve({ status: "error", error: tail || `exit ${codeOrNull}, no JSON result`, stdout, stderr, seconds });
      } else resolve({ status: "ok", result, stdout, stderr, seconds });
    });
  });
}
