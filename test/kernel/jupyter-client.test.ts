/** The installed kernelspec driven by Debian's jupyter_client (KernelManager: start, execute, interrupt, restart, shutdown). */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { expect, test } from "vitest";
import { installKernelspec, repoRoot } from "./client.js";

test("jupyter_client KernelManager session", () => {
  const { env } = installKernelspec("jc");
  const run = spawnSync("/usr/bin/python3", [join(repoRoot, "test/kernel/jupyter_client_session.py")], {
    encoding: "utf8",
    timeout: 240_000,
    env,
  });
  const checks = run.stdout
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { check?: string; ok?: boolean; detail?: string; done?: boolean });
  for (const c of checks) if (c.check) console.log(`${c.ok ? "ok  " : "FAIL"} ${c.check} ${c.ok ? "" : c.detail}`);
  expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
  expect(checks.at(-1)).toEqual({ done: true });
  expect(checks.filter((c) => c.check).every((c) => c.ok)).toBe(true);
}, 300_000);
