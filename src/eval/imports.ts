/**
 * Loading modules that cells import: bare specifiers resolve from the notebook's folder first
 * (walking up its node_modules folders, honouring package "exports" with the "import" condition),
 * then from the kernel's own node_modules; relative paths resolve against the notebook's folder,
 * with or without an extension, `.ts` files included (compiled as they load by `ts-hooks.ts`),
 * and a file that changed since it was last imported is loaded again.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { createRequire, isBuiltin, register } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const CONDITIONS = ["node", "import", "default"];

/** Splits `@scope/pkg/sub/path` into the package name and the `./sub/path` subpath. */
function splitSpecifier(spec: string): { name: string; subpath: string } {
  const parts = spec.split("/");
  const count = spec.startsWith("@") ? 2 : 1;
  const name = parts.slice(0, count).join("/");
  const rest = parts.slice(count).join("/");
  return { name, subpath: rest ? `./${rest}` : "." };
}

function resolveExportsTarget(target: unknown, wildcard: string | undefined): string | undefined {
  if (typeof target === "string") return wildcard === undefined ? target : target.split("*").join(wildcard);
  if (Array.isArray(target)) {
    for (const t of target) {
      const r = resolveExportsTarget(t, wildcard);
      if (r) return r;
    }
    return undefined;
  }
  if (target && typeof target === "object") {
    for (const [key, value] of Object.entries(target)) {
      if (CONDITIONS.includes(key)) {
        const r = resolveExportsTarget(value, wildcard);
        if (r) return r;
      }
    }
  }
  return undefined;
}

function resolveExports(exportsField: unknown, subpath: string): string | undefined {
  const isSubpathMap =
    exportsField !== null &&
    typeof exportsField === "object" &&
    !Array.isArray(exportsField) &&
    Object.keys(exportsField).some((k) => k.startsWith("."));
  if (!isSubpathMap) return subpath === "." ? resolveExportsTarget(exportsField, undefined) : undefined;
  const map = exportsField as Record<string, unknown>;
  if (subpath in map) return resolveExportsTarget(map[subpath], undefined);
  for (const key of Object.keys(map)) {
    const star = key.indexOf("*");
    if (star < 0) continue;
    const prefix = key.slice(0, star);
    const suffix = key.slice(star + 1);
    if (subpath.startsWith(prefix) && subpath.endsWith(suffix) && subpath.length >= key.length - 1) {
      return resolveExportsTarget(map[key], subpath.slice(prefix.length, subpath.length - suffix.length));
    }
  }
  return undefined;
}

function withExtension(file: string): string | undefined {
  for (const candidate of [
    file,
    `${file}.ts`,
    `${file}.mts`,
    `${file}.js`,
    `${file}.mjs`,
    `${file}.cjs`,
    `${file}.json`,
    path.join(file, "index.ts"),
    path.join(file, "index.js"),
  ]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

/** Absolute path of the file a bare specifier names, looking in `dir`'s node_modules chain. */
export function resolvePackageFrom(spec: string, dir: string): string | undefined {
  const { name, subpath } = splitSpecifier(spec);
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    const pkgDir = path.join(d, "node_modules", name);
    const pkgJson = path.join(pkgDir, "package.json");
    if (existsSync(pkgJson)) {
      const pkg = JSON.parse(readFileSync(pkgJson, "utf8")) as { exports?: unknown; main?: string; module?: string };
      if (pkg.exports !== undefined) {
        const target = resolveExports(pkg.exports, subpath);
        if (target) return path.join(pkgDir, target);
      } else {
        const file =
          subpath === "."
            ? withExtension(path.join(pkgDir, pkg.main ?? "index.js"))
            : withExtension(path.join(pkgDir, subpath));
        if (file) return file;
      }
      // Fall back to Node's CommonJS resolver for layouts the above does not cover.
      try {
        return createRequire(path.join(d, "noop.js")).resolve(spec);
      } catch {
        return undefined;
      }
    }
    if (path.dirname(d) === d) return undefined;
  }
}

const TS_HOOKS = new URL("./ts-hooks.js", import.meta.url);
let hooksRegistered = false;

/** Lets the notebook's own `.ts` files load (once per thread; only where the built hooks exist). */
function registerTypeScriptHooks(): void {
  if (hooksRegistered) return;
  hooksRegistered = true;
  if (typeof register === "function" && TS_HOOKS.protocol === "file:" && existsSync(fileURLToPath(TS_HOOKS))) {
    register(TS_HOOKS);
  }
}

/**
 * Makes the `import()` used by cells: resolves from `cwd` first, then `aliases` (package names
 * that stand for a resident, like `@tensorflow/tfjs` for `tf`), then the kernel's own packages.
 * `beforeImport` runs before each module it loads that is neither built into Node nor a resident.
 */
export function createModuleLoader(
  cwd: string,
  aliases: ReadonlyMap<string, unknown> = new Map(),
  beforeImport: () => void = () => undefined,
): (spec: unknown) => Promise<Record<string, unknown>> {
  const load = (specifier: string): Promise<Record<string, unknown>> => {
    beforeImport();
    return import(specifier);
  };
  return async (spec) => {
    if (typeof spec !== "string") throw new TypeError(`import() needs a module name string, got ${typeof spec}`);
    if (spec.startsWith("node:") || isBuiltin(spec)) return import(spec);
    if (spec.startsWith("file:")) return load(spec);
    if (spec.startsWith("./") || spec.startsWith("../") || path.isAbsolute(spec)) {
      registerTypeScriptHooks();
      const file = withExtension(path.resolve(cwd, spec)) ?? path.resolve(cwd, spec);
      // The notebook's own files change while it runs: a changed file is loaded afresh.
      const version = existsSync(file) ? `?mtime=${statSync(file).mtimeMs}` : "";
      return load(pathToFileURL(file).href + version);
    }
    const local = resolvePackageFrom(spec, cwd);
    if (local) return load(pathToFileURL(local).href);
    if (aliases.has(spec)) return aliases.get(spec) as Record<string, unknown>;
    try {
      return await load(spec);
    } catch (err) {
      if ((err as { code?: string }).code === "ERR_MODULE_NOT_FOUND") {
        throw new Error(`Cannot find module '${spec}' (looked in ${cwd} and in the kernel's node_modules)`);
      }
      throw err;
    }
  };
}

/** The value of a default import, following the TypeScript/Babel `__esModule` convention for CommonJS. */
export function importDefault(ns: Record<string, unknown>): unknown {
  if (!("default" in ns)) return ns;
  const d = ns.default as { __esModule?: boolean; default?: unknown } | null;
  if (d && typeof d === "object" && d.__esModule && "default" in d) return d.default;
  return d;
}

/** The value of a named import; falls back to a property of a CommonJS module's exports object. */
export function importNamed(ns: Record<string, unknown>, name: string): unknown {
  if (name in ns) return ns[name];
  const d = ns.default as Record<string, unknown> | null | undefined;
  if (d !== null && (typeof d === "object" || typeof d === "function") && name in d) return d[name];
  return undefined;
}

/**
 * The `require` cells get: resolves from the notebook's folder, and gives a resident for its
 * alias names unless the notebook's folder has that package.
 */
export function createCellRequire(cwd: string, aliases: ReadonlyMap<string, unknown>): NodeJS.Require {
  const base = createRequire(path.join(path.resolve(cwd), "notebook.js"));
  const cellRequire = ((id: string) => {
    if (aliases.has(id) && !resolvePackageFrom(id, cwd)) return aliases.get(id);
    return base(id);
  }) as NodeJS.Require;
  return Object.assign(cellRequire, {
    resolve: base.resolve,
    cache: base.cache,
    main: base.main,
    extensions: base.extensions,
  });
}
