/**
 * Runs a cell evaluator inside a worker thread, as the kernel does, so a test can set the
 * interrupt flag from another thread while a cell spins synchronously.
 * The worker cannot load .ts files, so src/eval is transpiled to a cache folder first.
 */
import ts from "typescript";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const cacheDir = path.join(root, "node_modules", ".cache", `deepts-eval-test-${process.pid}`);

function compileEval(): string {
  const out = path.join(cacheDir, "eval");
  mkdirSync(out, { recursive: true });
  const src = path.join(root, "src", "eval");
  for (const file of readdirSync(src).filter((f) => f.endsWith(".ts"))) {
    const js = ts.transpileModule(readFileSync(path.join(src, file), "utf8"), {
      compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
    }).outputText;
    writeFileSync(path.join(out, file.replace(/\.ts$/, ".js")), js);
  }
  writeFileSync(path.join(out, "..", "package.json"), '{ "type": "module" }\n');
  return path.join(out, "index.js");
}

const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
(async () => {
  const { createCellEvaluator } = await import(workerData.evalUrl);
  const ev = createCellEvaluator({ cwd: workerData.cwd, residents: [], interruptFlag: new Int32Array(workerData.flag) });
  parentPort.on("message", async ({ id, code, typeCheck }) => {
    const r = await ev.execute(code, { typeCheck });
    if (r.status === "ok") r.value = typeof r.value === "object" ? JSON.stringify(r.value) : r.value;
    parentPort.postMessage({ id, result: r });
  });
  parentPort.postMessage({ ready: true });
})();
`;

export interface WorkerEvaluator {
  flag: Int32Array;
  execute(code: string, typeCheck?: boolean): Promise<import("../../src/eval/api.js").CellResult>;
  close(): Promise<void>;
}

export async function startWorkerEvaluator(cwd: string): Promise<WorkerEvaluator> {
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const evalUrl = pathToFileURL(compileEval()).href;
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { evalUrl, cwd, flag: flag.buffer } });
  const pending = new Map<number, (r: never) => void>();
  let nextId = 0;
  await new Promise<void>((resolve, reject) => {
    worker.once("error", reject);
    worker.on("message", (m: { ready?: boolean; id?: number; result?: never }) => {
      if (m.ready) resolve();
      else pending.get(m.id!)?.(m.result!);
    });
  });
  return {
    flag,
    execute(code, typeCheck = false) {
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, resolve as (r: never) => void);
        worker.postMessage({ id, code, typeCheck });
      });
    },
    async close() {
      await worker.terminate();
      rmSync(cacheDir, { recursive: true, force: true });
    },
  };
}
