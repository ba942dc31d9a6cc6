/**
 * Helpers of the widget tests. The Python environment with JupyterLab, Notebook 7, ipykernel and ipywidgets that the widget
 * tests use as frontends and as the reference: `$DEEPTS_TEST_VENV`, else `.venv` in the repository
 * (`.ci/run` creates it with pip).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "../kernel/client.js";

export function testVenv(): string {
  const venv = process.env.DEEPTS_TEST_VENV ?? join(repoRoot, ".venv");
  if (!existsSync(join(venv, "bin/python")))
    throw new Error(
      `no test venv at ${venv}: create it with \`python3 -m venv .venv && .venv/bin/pip install jupyterlab notebook ipywidgets ipykernel\` (or set DEEPTS_TEST_VENV)`,
    );
  return venv;
}

export function testVenvPython(): string {
  return join(testVenv(), "bin/python");
}

const KERNELSPECS = {
  deepts: { name: "deepts", display_name: "TypeScript (deepts)", language: "typescript" },
  python3: { name: "python3", display_name: "Python 3", language: "python" },
};

/** An nbformat 4.5 notebook (JSON text) of code cells, for `kernel` (none: the runner's default). */
export function notebookJson(cells: string[], kernel?: keyof typeof KERNELSPECS): string {
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: kernel ? { kernelspec: KERNELSPECS[kernel] } : {},
    cells: cells.map((source, i) => ({
      id: `c${i}`,
      cell_type: "code",
      metadata: {},
      source,
      outputs: [],
      execution_count: null,
    })),
  });
}
