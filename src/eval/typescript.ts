/**
 * The TypeScript compiler, loaded with a V8 code cache. Compiling `typescript.js` (9 MB of
 * JavaScript) is most of what loading it costs, and a kernel loads it for its first cell; with the
 * cache the compile step is skipped. The cache lives in `$DEEPTS_CACHE_DIR` (default
 * `$XDG_CACHE_HOME/deepts` or `~/.cache/deepts`; `DEEPTS_CACHE_DIR=` turns it off), is keyed by
 * TypeScript's file and this Node.js, and is written once, a few seconds after the first load, so it
 * holds the functions the first cells compiled too. Any failure falls back to a plain `require`.
 */
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import vm from "node:vm";
import type * as TS from "typescript";

const requireHere = createRequire(import.meta.url);
const SAVE_AFTER_MS = 4000;

function cacheDir(): string | undefined {
  const configured = process.env.DEEPTS_CACHE_DIR;
  if (configured !== undefined) return configured === "" ? undefined : configured;
  return join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "deepts");
}

function cacheFileFor(file: string, dir: string): string {
  const { size, mtimeMs } = statSync(file);
  return join(dir, `typescript-${size}-${Math.trunc(mtimeMs)}-node${process.versions.v8}-${process.arch}.cache`);
}

function readCache(cacheFile: string): Buffer | undefined {
  try {
    return readFileSync(cacheFile);
  } catch {
    return undefined;
  }
}

function saveCache(script: vm.Script, cacheFile: string): void {
  try {
    mkdirSync(dirname(cacheFile), { recursive: true });
    const temp = `${cacheFile}.${process.pid}.tmp`;
    writeFileSync(temp, script.createCachedData());
    renameSync(temp, cacheFile);
  } catch {
    // A read-only home or a full disk only costs the next kernel the compile time.
  }
}

function loadWithCache(file: string, dir: string): typeof TS {
  const cacheFile = cacheFileFor(file, dir);
  const cachedData = readCache(cacheFile);
  const wrapper = `(function (exports, require, module, __filename, __dirname) {${readFileSync(file, "utf8")}\n})`;
  const script = new vm.Script(wrapper, { filename: file, cachedData });
  const module = { exports: {} as typeof TS };
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  run.call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  if (!cachedData || script.cachedDataRejected) setTimeout(() => saveCache(script, cacheFile), SAVE_AFTER_MS).unref();
  return module.exports;
}

/** Loads TypeScript (once per thread). */
export function loadTypeScript(): typeof TS {
  const file = requireHere.resolve("typescript");
  const dir = cacheDir();
  if (dir) {
    try {
      return loadWithCache(file, dir);
    } catch {
      // fall through to the ordinary loader
    }
  }
  return requireHere(file) as typeof TS;
}

const ts: typeof TS = loadTypeScript();
export default ts;
