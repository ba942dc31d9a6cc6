/**
 * The Python environment with JupyterLab, Notebook 7, ipykernel and ipywidgets that the widget
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
