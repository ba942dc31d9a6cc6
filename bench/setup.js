// A new user's first run, timed: `git clone` of this repository, then README.md's "Set up" commands
// (`npm install`, `npm start`) as written, in a temporary folder with a temporary HOME. npm's
// download cache is shared (a warm cache: what a second clone costs; `--cold` uses an empty one,
// which needs the registry). Prints the time from the clone to the first executed notebook and to
// all of them, and each step's time; `--json FILE` writes the figures.
// Usage: node bench/setup.js [--cold] [--json FILE]
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const repo = join(dirname(fileURLToPath(import.meta.url)), "..");
const argv = process.argv.slice(2);
const jsonAt = argv.indexOf("--json");

/** The commands of README's "## Set up" section: its first sh block, comments dropped. */
function setupCommands() {
  const readme = readFileSync(join(repo, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("\n## Set up\n"));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? "";
  return block
    .split("\n")
    .map((l) => l.replace(/\s+#.*$/, "").trim())
    .filter(Boolean);
}

/** Runs a command with bash; calls `onLine` per output line; resolves with its exit code. */
function run(command, cwd, env, onLine = () => {}) {
  return new Promise((resolve) => {
    const child = spawn("bash", ["-c", command], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    const take = (d) => {
      for (const line of d.toString().split("\n")) if (line.trim()) onLine(line);
    };
    child.stdout.on("data", take);
    child.stderr.on("data", take);
    child.once("close", resolve);
  });
}

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

async function main() {
  const base = mkdtempSync(join(tmpdir(), "deepts-setup-bench-"));
  const home = join(base, "home");
  mkdirSync(home);
  const cache = argv.includes("--cold")
    ? join(base, "npm-cache")
    : execFileSync("npm", ["config", "get", "cache"], { encoding: "utf8" }).trim();
  const env = { PATH: process.env.PATH, HOME: home, LANG: "C.UTF-8", npm_config_cache: cache };
  const figures = { cache: argv.includes("--cold") ? "cold" : "warm", steps: {} };
  const t0 = performance.now();
  try {
    const clone = join(base, "deepts");
    execFileSync("git", ["clone", "--quiet", repo, clone]);
    figures.steps["git clone"] = performance.now() - t0;
    for (const command of setupCommands()) {
      const started = performance.now();
      let firstNotebook;
      const code = await run(command, clone, env, (line) => {
        // `deepts run` prints "[name] ✓ N cells in …" when a notebook has run through.
        if (firstNotebook === undefined && /^\[[^\]]+\] ✓ \d+ cells in /.test(line)) {
          firstNotebook = performance.now() - t0;
          process.stderr.write(`  first notebook executed ${seconds(firstNotebook)} after the clone began\n`);
        }
      });
      figures.steps[command] = performance.now() - started;
      if (firstNotebook !== undefined) figures.firstNotebook = firstNotebook;
      if (code !== 0) throw new Error(`\`${command}\` exited with ${code}`);
    }
    figures.total = performance.now() - t0;
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
  console.log(`New user's first run (${figures.cache} npm cache), README's "Set up" commands on a fresh clone`);
  for (const [step, ms] of Object.entries(figures.steps)) console.log(`  ${step.padEnd(14)} ${seconds(ms)}`);
  console.log(`  clone → first executed notebook: ${seconds(figures.firstNotebook ?? Number.NaN)}`);
  console.log(`  clone → all notebooks executed:  ${seconds(figures.total)}`);
  if (jsonAt >= 0) writeFileSync(argv[jsonAt + 1], `${JSON.stringify(figures, null, 2)}\n`);
}

main().catch((e) => {
  console.error(`bench/setup.js: ${e.message}`);
  process.exit(1);
});
