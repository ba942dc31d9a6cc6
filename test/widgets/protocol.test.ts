/**
 * The widget protocol through jupyter_client, with Python's ipywidgets 8.1 in ipykernel as the
 * reference: comm_open state of every widget class, updates both ways, echo_update, buffers,
 * request_state(s), errors in handlers, comms handled during a running cell, comms of a client that
 * disconnects, and Stop / learning rate during `fit` (see widget_protocol.py).
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { expect, test } from "vitest";
import { installKernelspec, repoRoot } from "../kernel/client.js";
import { testVenvPython } from "./helpers.js";

test("widget protocol against ipywidgets in ipykernel", () => {
  const { env } = installKernelspec("widgets");
  const run = spawnSync(testVenvPython(), [join(repoRoot, "test/widgets/widget_protocol.py")], {
    encoding: "utf8",
    timeout: 400_000,
    env,
  });
  const lines = run.stdout
    .trim()
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as { check?: string; ok?: boolean; detail?: string; done?: boolean });
  const failed = lines.filter((c) => c.check && !c.ok);
  expect(failed, `${run.stdout.slice(-3000)}\n${run.stderr.slice(-3000)}`).toEqual([]);
  expect(run.status, run.stderr.slice(-3000)).toBe(0);
  expect(lines.at(-1)).toEqual({ done: true });
  expect(lines.filter((c) => c.check).length).toBeGreaterThan(100);
}, 420_000);
