/**
 * Module hooks (`module.register`) that let cells import the notebook's own TypeScript files,
 * which Node 20 cannot load: a `.ts`/`.mts` file is compiled to JavaScript with TypeScript's
 * `transpileModule` as it loads, and a relative specifier without an extension (`./util`), or one
 * naming `.js` where only a `.ts` exists (TypeScript's own convention), finds the file.
 * Registered by `imports.ts` the first time a cell imports a local file.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import type TS from "typescript";

interface ResolveContext {
  parentURL?: string;
  conditions: string[];
}
type NextResolve = (specifier: string, context: ResolveContext) => Promise<{ url: string; format?: string }>;
interface LoadContext {
  format?: string;
}
type NextLoad = (url: string, context: LoadContext) => Promise<{ format: string; source?: unknown }>;

const TS_FILE = /\.(ts|mts)$/;
const CANDIDATES = [".ts", ".mts", ".js", ".mjs", "/index.ts", "/index.js"];

let typescript: Promise<typeof TS> | undefined;

function isFile(file: string): boolean {
  return existsSync(file) && statSync(file).isFile();
}

/** The file a relative specifier means when Node's own resolution finds nothing. */
function findLocal(specifier: string, parentURL: string): string | undefined {
  const base = fileURLToPath(new URL(specifier, parentURL));
  if (/\.[cm]?js$/.test(base)) {
    const asTs = base.replace(/\.([cm]?)js$/, ".$1ts");
    if (isFile(asTs)) return asTs;
  }
  for (const ext of CANDIDATES) if (isFile(base + ext)) return base + ext;
  return undefined;
}

export async function resolve(
  specifier: string,
  context: ResolveContext,
  next: NextResolve,
): Promise<{ url: string; format?: string; shortCircuit?: boolean }> {
  try {
    return await next(specifier, context);
  } catch (err) {
    const relative = specifier.startsWith("./") || specifier.startsWith("../") || specifier.startsWith("file:");
    const parent = context.parentURL;
    if (!relative || !parent?.startsWith("file:")) throw err;
    const file = findLocal(specifier, parent);
    if (!file) throw err;
    return { url: pathToFileURL(file).href, shortCircuit: true };
  }
}

export async function load(
  url: string,
  context: LoadContext,
  next: NextLoad,
): Promise<{ format: string; source?: unknown; shortCircuit?: boolean }> {
  if (!url.startsWith("file:")) return next(url, context);
  const file = fileURLToPath(url.replace(/[?#].*$/, ""));
  if (!TS_FILE.test(file)) return next(url, context);
  typescript ??= import("typescript").then((m) => (m as { default?: typeof TS }).default ?? (m as typeof TS));
  const ts = await typescript;
  const out = ts.transpileModule(readFileSync(file, "utf8"), {
    fileName: file,
    compilerOptions: {
      module: ts.ModuleKind.ESNext,
      target: ts.ScriptTarget.ES2022,
      inlineSourceMap: true,
      inlineSources: true,
    },
  });
  return { format: "module", source: out.outputText, shortCircuit: true };
}
