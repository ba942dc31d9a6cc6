/**
 * Every tutorial notebook runs top to bottom without an error output: once with `deepts run`, once
 * with Jupyter's own nbclient (Debian's /usr/bin/python3) on the installed kernelspec. Long: each
 * notebook takes minutes (needs `dist/` built).
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, test } from "vitest";

const run = promisify(execFile);
const repoRoot = resolve(import.meta.dirname, "../..");
const main = join(repoRoot, "dist/cli/main.js");
const notebooksDir = join(repoRoot, "notebooks");
const notebooks = readdirSync(notebooksDir)
  .filter((f) => f.endsWith(".ipynb"))
  .sort();
const LIMIT_MS = 15 * 60_000;

interface StoredOutput {
  output_type: string;
  ename?: string;
  evalue?: string;
}
interface StoredCell {
  cell_type: string;
  source: string[] | string;
  execution_count?: number | null;
  outputs?: StoredOutput[];
}

function errorsIn(cells: StoredCell[]): string[] {
  return cells.flatMap((c) =>
    (c.outputs ?? []).filter((o) => o.output_type === "error").map((o) => `${o.ename}: ${o.evalue}`),
  );
}

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

  test("there are notebooks to run", () => {
    expect(notebooks.length).toBeGreaterThanOrEqual(5);
  });

  for (const file of notebooks) {
    const name = basename(file, ".ipynb");

    test(`deepts run ${name}`, { timeout: LIMIT_MS }, async () => {
      const out = mkdtempSync(join(tmpdir(), "deepts-nb-run-"));
      const t0 = performance.now();
      const r = await run(process.execPath, [main, "run", join(notebooksDir, file), "--out", out, "--timeout", "600"], {
        maxBuffer: 64 << 20,
      }).catch((e: { code: number; stderr: string }) => ({ stderr: e.stderr, failed: e.code }));
      expect("failed" in r ? r.stderr : "", "deepts run failed").toBe("");
      const nb = JSON.parse(readFileSync(join(out, file), "utf8")) as { cells: StoredCell[] };
      expect(errorsIn(nb.cells)).toEqual([]);
      const code = nb.cells.filter((c) => c.cell_type === "code" && [c.source].flat().join("").trim() !== "");
      expect(code.every((c) => typeof c.execution_count === "number")).toBe(true);
      console.log(`deepts run ${name}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    });

    test(`nbclient ${name}`, { timeout: LIMIT_MS }, async () => {
      const out = join(mkdtempSync(join(tmpdir(), "deepts-nb-client-")), file);
      const t0 = performance.now();
      const r = await run("/usr/bin/python3", ["-c", NBCLIENT, join(notebooksDir, file), out, notebooksDir], {
        env: { ...process.env, JUPYTER_PATH: jupyterPath },
        maxBuffer: 64 << 20,
      }).catch((e: { stderr: string }) => ({ stderr: e.stderr, failed: true }));
      expect("failed" in r ? r.stderr.slice(-4000) : "", "nbclient failed").toBe("");
      const nb = JSON.parse(readFileSync(out, "utf8")) as { cells: StoredCell[] };
      expect(errorsIn(nb.cells)).toEqual([]);
      console.log(`nbclient ${name}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    });
  }
});
