/**
 * Lifecycle as a frontend drives it (jupyter_client's KernelManager, test/hostile/lifecycle.py):
 * time from start, restart, and SIGKILL-then-restart to the first cell's result; shutdown while
 * idle, busy in a loop, and busy waiting on a child process: the kernel process is gone within
 * 20 s (by itself: jupyter_client would only kill it after 15 s) and no process it started is left.
 * deepts and ipykernel side by side in docs/hostile-probes.md.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { installKernelspec, repoRoot } from "../kernel/client.js";
import { ipykernelMissing, PYTHON, writeReportSection } from "./harness.js";

interface Shutdown {
  seconds: number;
  children_before: number;
  children_left: number;
}
interface Figures {
  start_to_first_result_s: number;
  restart_to_first_result_s: number;
  sigkill_then_restart_to_first_result_s: number;
  shutdown_idle: Shutdown;
  shutdown_busy: Shutdown;
  shutdown_child: Shutdown;
}

function lifecycle(kernelName: string, env: NodeJS.ProcessEnv): Figures {
  const run = spawnSync(PYTHON, [join(repoRoot, "test/hostile/lifecycle.py"), kernelName], {
    env,
    encoding: "utf8",
    timeout: 400_000,
  });
  if (run.status !== 0)
    throw new Error(`lifecycle.py ${kernelName} failed (${run.status}):\n${run.stderr.slice(-3000)}`);
  return JSON.parse(run.stdout.trim().split("\n").at(-1)!) as Figures;
}

const shutdownText = (s: Shutdown) =>
  `gone in ${s.seconds} s; ${s.children_left} of ${s.children_before} child processes left`;

describe("lifecycle through jupyter_client", () => {
  test("start, restart, SIGKILL then restart, and shutdown idle, busy and in a child process", () => {
    const { env } = installKernelspec("lifecycle");
    const mine = lifecycle("deepts", env);
    const missing = ipykernelMissing();
    const reference = missing ? undefined : lifecycle("python3", env);
    console.log(JSON.stringify({ deepts: mine, ipykernel: reference }, null, 1));
    const row = (probe: string, pick: (f: Figures) => string, ok: (f: Figures) => boolean) => ({
      probe,
      deepts: `${ok(mine) ? "pass" : "FAIL"}: ${pick(mine)}`,
      ipykernel: reference ? `${ok(reference) ? "pass" : "FAIL"}: ${pick(reference)}` : `not run (${missing})`,
    });
    const quick = (s: Shutdown) => s.seconds < 15 && s.children_left === 0;
    writeReportSection(
      "lifecycle",
      "Lifecycle (jupyter_client's KernelManager)",
      "Times to the first cell's result (`6 * 7`), and shutdown as a frontend asks for it (shutdown_request; jupyter_client would kill the process after 15 s). Each shutdown follows a cell that started `sleep 1000` in the background.",
      [
        row(
          "start → first cell result",
          (f) => `${f.start_to_first_result_s} s`,
          (f) => f.start_to_first_result_s < 30,
        ),
        row(
          "restart → first cell result",
          (f) => `${f.restart_to_first_result_s} s`,
          (f) => f.restart_to_first_result_s < 30,
        ),
        row(
          "SIGKILL, then the frontend's restart → first cell result",
          (f) => `${f.sigkill_then_restart_to_first_result_s} s`,
          (f) => f.sigkill_then_restart_to_first_result_s < 30,
        ),
        row(
          "shutdown while idle",
          (f) => shutdownText(f.shutdown_idle),
          (f) => quick(f.shutdown_idle),
        ),
        row(
          "shutdown while busy in a loop",
          (f) => shutdownText(f.shutdown_busy),
          (f) => quick(f.shutdown_busy),
        ),
        row(
          "shutdown while a cell waits on a child process",
          (f) => shutdownText(f.shutdown_child),
          (f) => quick(f.shutdown_child),
        ),
      ],
    );
    for (const s of [mine.shutdown_idle, mine.shutdown_busy, mine.shutdown_child]) {
      expect(s.seconds).toBeLessThan(15);
      expect(s.children_left).toBe(0);
    }
    expect(mine.restart_to_first_result_s).toBeLessThan(30);
    expect(mine.sigkill_then_restart_to_first_result_s).toBeLessThan(30);
  }, 900_000);
});
