/** Installing and removing the deepts kernelspec (kernel.json + logos) in a Jupyter kernels folder. */
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { kernelsDir } from "../kernel/jupyter-paths.js";

export type InstallTarget = { kind: "user" } | { kind: "sys-prefix" } | { kind: "prefix"; dir: string };

export interface InstallOptions {
  target: InstallTarget;
  /** Kernelspec folder name (default "deepts"). */
  name?: string;
  /** Overrides the display name ("TypeScript (deepts)"). */
  displayName?: string;
  /** Environment variables the kernel is started with (the kernelspec's `env`), e.g. `DEEPTS_CELL_TIMEOUT`. */
  env?: Record<string, string>;
}

const packageRoot = fileURLToPath(new URL("../../", import.meta.url));
const specSource = join(packageRoot, "kernel");
const LOGOS = ["logo-32x32.png", "logo-64x64.png"];

/** A kernelspec name Jupyter accepts: ASCII letters, digits, `.`, `_`, `-`. */
export function checkKernelName(name: string): string {
  if (!/^[a-zA-Z0-9._-]+$/.test(name))
    throw new Error(`Invalid kernel name ${JSON.stringify(name)}: use only letters, digits, ".", "_" and "-"`);
  return name;
}

/** kernel.json content: the template with this node binary and this package's CLI filled in. */
export function kernelJson(displayName?: string, env?: Record<string, string>): Record<string, unknown> {
  const template = JSON.parse(readFileSync(join(specSource, "kernel.json"), "utf8")) as Record<string, unknown>;
  const main = fileURLToPath(new URL("./main.js", import.meta.url));
  const argv = (template.argv as string[]).map((a) =>
    a === "{node}" ? process.execPath : a === "{deepts_main}" ? main : a,
  );
  // Windows has no SIGINT for child processes: there, frontends interrupt with interrupt_request.
  const interrupt = process.platform === "win32" ? { interrupt_mode: "message" } : {};
  return {
    ...template,
    argv,
    ...interrupt,
    ...(displayName ? { display_name: displayName } : {}),
    ...(env && Object.keys(env).length > 0 ? { env } : {}),
  };
}

/**
 * Writes the kernelspec; returns the folder it wrote.
 *
 * ```ts
 * installKernelspec({ target: { kind: "prefix", dir: "/tmp/env" } }); // → /tmp/env/share/jupyter/kernels/deepts
 * ```
 */
export function installKernelspec(options: InstallOptions): string {
  const dir = join(kernelsDir(options.target), checkKernelName(options.name ?? "deepts"));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "kernel.json"), `${JSON.stringify(kernelJson(options.displayName, options.env), null, 2)}\n`);
  for (const logo of LOGOS) copyFileSync(join(specSource, logo), join(dir, logo));
  return dir;
}

/** Removes the kernelspec; returns the folder removed, or undefined if it was not installed. */
export function uninstallKernelspec(options: InstallOptions): string | undefined {
  const dir = join(kernelsDir(options.target), checkKernelName(options.name ?? "deepts"));
  if (!existsSync(join(dir, "kernel.json"))) return undefined;
  rmSync(dir, { recursive: true, force: true });
  return dir;
}
