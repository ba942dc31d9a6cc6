/** Runs Debian's jupyter_kernel_test suite (test/kernel/conformance/test_deepts.py) against the installed kernelspec. */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { expect, test } from "vitest";
import { installKernelspec, repoRoot } from "./client.js";

test("jupyter_kernel_test conformance suite passes", () => {
  const { env } = installKernelspec("conformance");
  const run = spawnSync("/usr/bin/python3", ["-m", "unittest", "-v", "test_deepts"], {
    cwd: join(repoRoot, "test/kernel/conformance"),
    encoding: "utf8",
    timeout: 240_000,
    env,
  });
  const out = `${run.stdout}\n${run.stderr}`;
  const ran = /Ran (\d+) tests?/.exec(out);
  const skipped = /skipped=(\d+)/.exec(out);
  console.log(`jupyter_kernel_test: ran ${ran?.[1]}, skipped ${skipped?.[1] ?? 0}, status ${run.status}`);
  expect(run.status, out).toBe(0);
  expect(out).toMatch(/\nOK/);
  expect(Number(ran?.[1])).toBeGreaterThanOrEqual(12);
  expect(skipped, "no sample set may be skipped").toBeNull();
}, 300_000);
