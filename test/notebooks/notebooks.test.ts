/**
 * Every tutorial notebook runs top to bottom without an error output, twice: as committed (exercise
 * stubs in place) with `deepts run`, where every exercise must say "not done yet" and every claim the
 * notebook makes is asserted on its outputs (./claims.ts); and with every exercise's solution filled
 * in, with Jupyter's own nbclient (Debian's /usr/bin/python3) on the installed kernelspec, where every
 * check must pass. Long: each notebook takes a minute or two per run (needs `dist/` built).
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, test } from "vitest";
import { allExercises } from "../../src/teach/index.js";
import { claims } from "./claims.js";
import {
  exerciseOf,
  exerciseOutcomes,
  type StoredCell,
  type StoredNotebook,
  sourceOf,
  withSolutions,
} from "./outputs.js";

const run = promisify(execFile);
const repoRoot = resolve(import.meta.dirname, "../..");
const main = join(repoRoot, "dist/cli/main.js");
const notebooksDir = join(repoRoot, "notebooks");
const notebooks = readdirSync(notebooksDir)
  .filter((f) => f.endsWith(".ipynb"))
  .sort();
const LIMIT_MS = 15 * 60_000;

function errorsIn(cells: StoredCell[]): string[] {
  return cells.flatMap((c) =>
    (c.outputs ?? []).filter((o) => o.output_type === "error").map((o) => `${o.ename}: ${o.evalue}`),
  );
}

const readNotebook = (path: string) => JSON.parse(readFileSync(path, "utf8")) as StoredNotebook;

const NBCLIENT = `
import json, sys, nbformat
from nbclient import NotebookClient
path, out, cwd = sys.argv[1:4]
nb = nbformat.read(path, 4)
NotebookClient(nb, kernel_name="deepts", timeout=600, resources={"metadata": {"path": cwd}}).execute()
nbformat.write(nb, out)
`;

describe("tutorial notebooks", () => {
  let jupyterPath = "";
  beforeAll(async () => {
    const prefix = mkdtempSync(join(tmpdir(), "deepts-nb-prefix-"));
    await run(process.execPath, [main, "install", "--prefix", prefix]);
    jupyterPath = join(prefix, "share/jupyter");
  });

  test("there are six notebooks, each with a claims check, and the committed cells match their sources", async () => {
    expect(notebooks.map((f) => basename(f, ".ipynb"))).toEqual(Object.keys(claims).sort());
    const r = await run(process.execPath, [join(notebooksDir, "build.mjs"), "--check"]).catch(
      (e: { stderr: string }) => ({ stderr: e.stderr, failed: true }),
    );
    expect("failed" in r ? r.stderr : "", "node notebooks/build.mjs --check").toBe("");
  });

  test("each notebook has 4 to 6 exercise cells, one per exercise of the notebook, each stub shaped like its solution", () => {
    for (const file of notebooks) {
      const nb = readNotebook(join(notebooksDir, file));
      const cells = nb.cells.filter((c) => exerciseOf(c));
      const number = file.slice(0, 2);
      expect(cells.map(exerciseOf).sort(), file).toEqual(
        allExercises()
          .filter((e) => e.notebook === number)
          .map((e) => e.name)
          .sort(),
      );
      expect(cells.length).toBeGreaterThanOrEqual(4);
      expect(cells.length).toBeLessThanOrEqual(6);
      withSolutions(nb); // throws when a stub's signature differs from its solution's
      const last = nb.cells.filter((c) => c.cell_type === "code").at(-1)!;
      expect(sourceOf(last), `${file} ends with its exercise progress`).toBe(`check.progress("${number}")`);
      const text = nb.cells.map(sourceOf).join("\n");
      expect(text, `${file} says what it needs`).toContain("**What you need.**");
      expect(text, `${file} ends with a summary`).toContain("## What you now know");
      expect(text).toContain("## Try this next");
    }
  });

  for (const file of notebooks) {
    const name = basename(file, ".ipynb");

    test(`deepts run ${name}: runs with the exercise stubs, and shows what it claims`, {
      timeout: LIMIT_MS,
    }, async () => {
      const out = mkdtempSync(join(tmpdir(), "deepts-nb-run-"));
      const t0 = performance.now();
      const r = await run(process.execPath, [main, "run", join(notebooksDir, file), "--out", out, "--timeout", "600"], {
        maxBuffer: 64 << 20,
      }).catch((e: { code: number; stderr: string }) => ({ stderr: e.stderr, failed: e.code }));
      expect("failed" in r ? r.stderr : "", "deepts run failed").toBe("");
      const nb = readNotebook(join(out, file));
      expect(errorsIn(nb.cells)).toEqual([]);
      const code = nb.cells.filter((c) => c.cell_type === "code" && sourceOf(c).trim() !== "");
      expect(code.every((c) => typeof c.execution_count === "number")).toBe(true);
      for (const [exercise, shown] of exerciseOutcomes(nb)) expect(shown).toBe(`✎ ${exercise}: not done yet.`);
      claims[name]!(nb);
      console.log(`deepts run ${name}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    });

    test(`nbclient ${name}: runs with every exercise solved, and every check passes`, {
      timeout: LIMIT_MS,
    }, async () => {
      const dir = mkdtempSync(join(tmpdir(), "deepts-nb-client-"));
      const solved = join(dir, `solved-${file}`);
      writeFileSync(solved, JSON.stringify(withSolutions(readNotebook(join(notebooksDir, file)))));
      const out = join(dir, file);
      const t0 = performance.now();
      const r = await run("/usr/bin/python3", ["-c", NBCLIENT, solved, out, notebooksDir], {
        env: { ...process.env, JUPYTER_PATH: jupyterPath },
        maxBuffer: 64 << 20,
      }).catch((e: { stderr: string }) => ({ stderr: e.stderr, failed: true }));
      expect("failed" in r ? r.stderr.slice(-4000) : "", "nbclient failed").toBe("");
      const nb = readNotebook(out);
      expect(errorsIn(nb.cells)).toEqual([]);
      const outcomes = exerciseOutcomes(nb);
      expect(outcomes.size).toBeGreaterThanOrEqual(4);
      for (const [exercise, shown] of outcomes)
        expect(shown).toMatch(new RegExp(`^✓ ${exercise}: passed — correct on `));
      const progress = [nb.cells.at(-1)!.outputs ?? []]
        .flat()
        .map((o) => [o.data?.["text/plain"] ?? ""].flat().join(""))
        .join("");
      expect(progress).toMatch(new RegExp(`^${outcomes.size} of ${outcomes.size} exercises passed`));
      console.log(`nbclient ${name} (solved): ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    });
  }
});
