/**
 * Where a worker thread's script is: the compiled `.js` beside the module in dist/, or, when the
 * runtime runs from its TypeScript sources (vitest), the `.ts` transpiled on the fly into a data:
 * URL. The worker script must therefore be self-contained (no relative imports).
 *
 * @example
 * new Worker(workerScript(new URL("./thread-worker.js", import.meta.url)), { workerData });
 */
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

export function workerScript(js: URL): URL {
  if (existsSync(fileURLToPath(js))) return js;
  const ts = new URL(js.href.replace(/\.js$/, ".ts"));
  const require = createRequire(import.meta.url);
  const typescript = require("typescript") as typeof import("typescript");
  const { outputText } = typescript.transpileModule(readFileSync(fileURLToPath(ts), "utf8"), {
    compilerOptions: { module: typescript.ModuleKind.ESNext, target: typescript.ScriptTarget.ES2022 },
  });
  return new URL(`data:text/javascript;base64,${Buffer.from(outputText).toString("base64")}`);
}
