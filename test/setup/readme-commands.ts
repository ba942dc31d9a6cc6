/**
 * The README's commands, read from README.md itself (so the set-up test and the set-up benchmark
 * run what a new user reads), and a fresh clone to run them in: a temporary HOME (no user npm or
 * Jupyter configuration), npm's existing download cache (no registry traffic for cached packages).
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The fenced code blocks of a `##` section of the README, in order. */
export function readmeBlocks(readme: string, heading: string): { lang: string; lines: string[] }[] {
  const start = readme.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`README has no "## ${heading}" section`);
  const end = readme.indexOf("\n## ", start + 4);
  const section = readme.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(/^( *)```(\w*)\n([\s\S]*?)^\1```/gm)].map((m) => ({
    lang: m[2]!,
    lines: m[3]!.split("\n").map((l) => l.slice(m[1]!.length)),
  }));
}

/** The shell commands of a section's blocks: comments and blank lines dropped. */
export function readmeCommands(readme: string, heading: string): string[] {
  return readmeBlocks(readme, heading)
    .filter((b) => b.lang === "sh")
    .flatMap((b) => b.lines)
    .map((l) => l.replace(/\s+#.*$/, "").trim())
    .filter((l) => l && !l.startsWith("#"));
}

export interface FreshClone {
  dir: string;
  home: string;
  env: NodeJS.ProcessEnv;
}

/** `git clone` of the repository at `repo` (its committed state) into a temporary folder. */
export function freshClone(repo: string, tag: string): FreshClone {
  const base = mkdtempSync(join(tmpdir(), `deepts-${tag}-`));
  const home = join(base, "home");
  mkdirSync(home);
  const cache = execFileSync("npm", ["config", "get", "cache"], { encoding: "utf8" }).trim();
  const dir = join(base, "deepts");
  execFileSync("git", ["clone", "--quiet", repo, dir]);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    LANG: "C.UTF-8",
    npm_config_cache: cache,
    // CI's own settings, which a user does not have (CI also builds gl; a user does not by default).
    ...(process.env.npm_config_nodedir ? { npm_config_nodedir: process.env.npm_config_nodedir } : {}),
  };
  return { dir, home, env };
}

export interface Ran {
  command: string;
  code: number | null;
  output: string;
  seconds: number;
}

/**
 * Runs one README command line with bash in `cwd`, collecting stdout and stderr together; after
 * `timeoutMs` its process group is killed and the output so far returned (code null).
 */
export function sh(command: string, cwd: string, env: NodeJS.ProcessEnv, timeoutMs = 600_000): Promise<Ran> {
  const t0 = performance.now();
  let output = "";
  return new Promise((resolve) => {
    const proc = spawn("bash", ["-c", command], { cwd, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
    const timer = setTimeout(() => {
      output += `\n[killed after ${timeoutMs / 1000} s]`;
      try {
        process.kill(-proc.pid!, "SIGKILL");
      } catch {
        // gone already
      }
    }, timeoutMs);
    const take = (d: Buffer) => {
      output += d.toString();
    };
    proc.stdout.on("data", take);
    proc.stderr.on("data", take);
    proc.once("close", (code) => {
      clearTimeout(timer);
      resolve({ command, code, output, seconds: (performance.now() - t0) / 1000 });
    });
  });
}

export function readme(repo: string): string {
  return readFileSync(join(repo, "README.md"), "utf8");
}
