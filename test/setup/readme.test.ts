/**
 * A new user's first steps, verbatim from README.md, on a fresh `git clone` with a temporary HOME:
 * `npm install` (no install-scripts warning, a line per backend), the clone stays clean, the
 * kernel registers (`npx deepts install`, then `jupyter kernelspec list` from the Jupyter
 * environment the browser tests use), a tutorial notebook runs with `npx deepts run`, and deepts
 * works as a library from another project. `npm start` (all five tutorials) is left to
 * `node bench/setup.js`, which times it; the notebooks' own tests run them too.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { repoRoot } from "../kernel/client.js";
import { jupyterVenv } from "../display/jupyter-frontend.js";
import { type FreshClone, freshClone, readme, readmeBlocks, readmeCommands, sh } from "./readme-commands.js";

const text = readme(repoRoot);
let clone: FreshClone;

beforeAll(() => {
  clone = freshClone(repoRoot, "setup");
});
afterAll(() => {
  if (clone) rmSync(dirname(clone.dir), { recursive: true, force: true });
});

const gitStatus = () => execFileSync("git", ["status", "--porcelain"], { cwd: clone.dir, encoding: "utf8" });

describe("the README's commands on a fresh clone", () => {
  test("Set up: `npm install` builds without npm warnings, reports each backend, and leaves the clone clean", async () => {
    const commands = readmeCommands(text, "Set up");
    expect(commands).toEqual(["npm install", "npm start"]);
    const r = await sh(commands[0]!, clone.dir, clone.env);
    expect(r.code, r.output).toBe(0);
    expect(r.output).not.toMatch(/npm warn/i);
    expect(r.output).toMatch(/deepts backends:\n {2}cpu, wasm, webasm +always there/);
    expect(r.output).toMatch(/ {2}native +(built|NOT built)/);
    expect(r.output).toMatch(/ {2}headlessgl +(not built .*DEEPTS_GL=1 npm run build:native|off)/);
    expect(gitStatus()).toBe("");
  }, 900_000);

  test("Use it in Jupyter: `npx deepts install` registers the kernel that `jupyter kernelspec list` shows", async () => {
    const commands = readmeCommands(text, "Use it in Jupyter").filter((c) =>
      /^(npx deepts install|jupyter kernelspec list)$/.test(c),
    );
    expect(commands).toEqual(["npx deepts install", "jupyter kernelspec list"]);
    const env = { ...clone.env, PATH: `${join(jupyterVenv(), "bin")}:${clone.env.PATH}` };
    const install = await sh(commands[0]!, clone.dir, env, 60_000);
    expect(install.code, install.output).toBe(0);
    const kernels = join(clone.home, ".local/share/jupyter/kernels/deepts");
    expect(install.output).toContain(`Installed the deepts kernel in ${kernels}`);
    const list = await sh(commands[1]!, clone.dir, env, 60_000);
    expect(list.code, list.output).toBe(0);
    expect(list.output).toMatch(new RegExp(`deepts +${kernels.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
  }, 180_000);

  test("Run notebooks from the command line: the tutorial runs, ends with the table, pages written; the clone stays clean", async () => {
    const [command] = readmeCommands(text, "Run notebooks from the command line");
    expect(command).toBe("npx deepts run notebooks/01-neural-networks-and-deep-learning.ipynb --html");
    const r = await sh(command!, clone.dir, clone.env);
    expect(r.code, r.output).toBe(0);
    expect(r.output).toMatch(/\[1\/1\] 01-neural-networks-and-deep-learning: \d+ code cells/);
    expect(r.output).toMatch(/✓ 01-neural-networks-and-deep-learning +(\d+)\/\1 +[\d.]+ (s|min)/);
    expect(r.output).toContain("01-neural-networks-and-deep-learning.ipynb, 01-neural-networks-and-deep-learning.html");
    expect(gitStatus()).toBe("");
  }, 600_000);

  test('Use it as a library: another project installs the clone and trains with `import * as tf from "deepts"`', async () => {
    const blocks = readmeBlocks(text, "Use it as a library");
    const commands = readmeCommands(text, "Use it as a library").map((c) => c.replaceAll("/path/to/deepts", clone.dir));
    const program = blocks.find((b) => b.lang === "js")!.lines.join("\n");
    const work = join(dirname(clone.dir), "work");
    mkdirSync(work);
    for (const command of commands) {
      const r = await sh(command, work, clone.env);
      expect(r.code, `${command}\n${r.output}`).toBe(0);
    }
    const project = join(work, "my-project");
    writeFileSync(join(project, "train.js"), program);
    const run = await sh("node train.js", project, clone.env);
    expect(run.code, run.output).toBe(0);
    const lines = run.output.trim().split("\n");
    expect(lines.filter((l) => /^Epoch \d+\/100 · /.test(l))).toHaveLength(100); // not a TTY: a line per epoch
    const predicted = Number(/\[\s*([-\d.e]+)\s*\]/.exec(lines.at(-1)!)?.[1]);
    expect(Math.abs(predicted - 9)).toBeLessThan(0.5);
  }, 300_000);
});
