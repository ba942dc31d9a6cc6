/** Jupyter's data directories (where kernelspecs live), computed per Jupyter's documented rules, without running `jupyter`. */
import { execFileSync } from "node:child_process";
import { homedir } from "node:os";
import { join } from "node:path";

export interface PlatformEnv {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  home: string;
}

const current = (): PlatformEnv => ({ platform: process.platform, env: process.env, home: homedir() });

/**
 * The per-user Jupyter data dir: `$JUPYTER_DATA_DIR`, else `~/.local/share/jupyter` (Linux, honouring
 * `$XDG_DATA_HOME`), `~/Library/Jupyter` (macOS), `%APPDATA%\jupyter` (Windows).
 */
export function userDataDir(p: PlatformEnv = current()): string {
  if (p.env.JUPYTER_DATA_DIR) return p.env.JUPYTER_DATA_DIR;
  if (p.platform === "win32") return join(p.env.APPDATA || join(p.home, "AppData", "Roaming"), "jupyter");
  if (p.platform === "darwin") return join(p.home, "Library", "Jupyter");
  return join(p.env.XDG_DATA_HOME || join(p.home, ".local", "share"), "jupyter");
}

/** `<prefix>/share/jupyter` — the layout for --prefix and --sys-prefix. */
export function prefixDataDir(prefix: string): string {
  return join(prefix, "share", "jupyter");
}

/** Python's `sys.prefix`, found by running python3 (or python); throws a clear error if there is none. */
export function pythonSysPrefix(): string {
  const candidates = process.platform === "win32" ? ["python", "py", "python3"] : ["python3", "python"];
  for (const exe of candidates) {
    try {
      const out = execFileSync(exe, ["-c", "import sys; print(sys.prefix)"], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
      }).trim();
      if (out) return out;
    } catch {
      // try the next one
    }
  }
  throw new Error(
    "--sys-prefix needs Python (python3 or python) on PATH to find sys.prefix; use --user or --prefix DIR instead",
  );
}

/** The kernels folder for an install target. */
export function kernelsDir(
  target: { kind: "user" } | { kind: "sys-prefix" } | { kind: "prefix"; dir: string },
  p: PlatformEnv = current(),
): string {
  const data =
    target.kind === "user"
      ? userDataDir(p)
      : target.kind === "prefix"
        ? prefixDataDir(target.dir)
        : prefixDataDir(pythonSysPrefix());
  return join(data, "kernels");
}
