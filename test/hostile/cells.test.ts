/**
 * Hostile cells and interrupts in every place a cell can be, on deepts and (where Python has the
 * same thing) on the reference kernel, side by side in docs/hostile-probes.md. After each: the
 * kernel answers, a variable defined at the start is intact, and deepts's reply says what happened
 * in the user's terms (`expect` in cells.ts).
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { TestKernel } from "../kernel/client.js";
import { type CellRun, HOSTILE_CELLS, type HostileCell, resultText } from "./cells.js";
import {
  ipykernelMissing,
  type KernelKind,
  type ProbeRow,
  resultOf,
  sleep,
  startKernel,
  unhealthy,
  writeReportSection,
} from "./harness.js";

const missing = ipykernelMissing();
const kinds: KernelKind[] = missing ? ["deepts"] : ["deepts", "ipykernel"];
const kernels = new Map<KernelKind, TestKernel>();
const rows: ProbeRow[] = [];
const SENTINEL: Record<KernelKind, string> = { deepts: 'let sentinel = "kept"', ipykernel: 'sentinel = "kept"' };

async function start(kind: KernelKind): Promise<TestKernel> {
  const k = await startKernel(kind);
  await k.execute(SENTINEL[kind], {}, 60_000);
  kernels.set(kind, k);
  return k;
}

beforeAll(async () => {
  await Promise.all(kinds.map(start));
}, 120_000);

afterAll(async () => {
  writeReportSection(
    "cells",
    "Hostile cells and interrupts",
    "Each cell (TypeScript on deepts, the same in Python on ipykernel), with interrupt_requests where named; then a health check and whether a variable defined before is intact. Times are from sending the cell (or the first interrupt) to its reply.",
    rows.map((r) => ({ ...r, ipykernel: missing ? `not run (${missing})` : r.ipykernel })),
  );
  await Promise.all([...kernels.values()].map((k) => k.shutdown()));
}, 60_000);

/** Runs the cell (with its setup, interrupts and follow-up) on one kernel. */
async function runCell(k: TestKernel, cell: HostileCell, code: string, then?: string): Promise<CellRun> {
  const setup = k === kernels.get("deepts") ? cell.setup?.deepts : cell.setup?.python;
  if (setup) await k.execute(setup, {}, 120_000);
  const t0 = performance.now();
  let firstInterrupt: number | undefined;
  const timeoutMs = cell.timeoutMs ?? (cell.interrupt ? cell.interrupt.afterMs + 15_000 : 60_000);
  // A kernel that dies does not answer: stop waiting when its process ends.
  const died = k.exited.then((code) => {
    throw new Error(`the process ended (${code ?? k.proc.signalCode}) instead of answering`);
  });
  died.catch(() => undefined);
  const running = Promise.race([k.execute(code, {}, timeoutMs), died]);
  running.catch(() => undefined);
  if (cell.interrupt) {
    await sleep(cell.interrupt.afterMs);
    firstInterrupt = performance.now();
    const requests = Array.from({ length: cell.interrupt.count ?? 1 }, () =>
      k.request("control", "interrupt_request", {}, 10_000),
    );
    await Promise.race([Promise.all(requests), died]).catch((e: Error) => {
      throw new Error(`${e.message.split("\n")[0]!.replace(/; stderr:$/, "")} (the interrupt)`);
    });
  }
  const { reply, outputs } = await running;
  const end = performance.now();
  const after = then ? await k.execute(then, {}, 60_000) : undefined;
  return {
    reply,
    outputs,
    after,
    ms: end - t0,
    afterInterruptMs: firstInterrupt === undefined ? undefined : end - firstInterrupt,
  };
}

function summary(run: CellRun): string {
  const c = run.reply.content;
  const what =
    c.status === "ok"
      ? `ok${resultText(run.outputs) ? ` → ${resultText(run.outputs).slice(0, 50)}` : ""}`
      : `${c.ename}: ${String(c.evalue).slice(0, 90)}`;
  const when =
    run.afterInterruptMs === undefined
      ? `${run.ms.toFixed(0)} ms`
      : `stopped ${run.afterInterruptMs.toFixed(0)} ms after the interrupt`;
  return `${what} (${when})`;
}

/** One kernel's verdict on a cell: what happened, then its health and whether the variable survived. */
async function verdict(kind: KernelKind, cell: HostileCell): Promise<{ ok: boolean; text: string }> {
  const code = kind === "deepts" ? cell.deepts : cell.python;
  if (code === undefined) return { ok: true, text: "n/a (no such thing in Python)" };
  const k = kernels.get(kind)!;
  let run: CellRun | undefined;
  let problem: string | undefined;
  try {
    run = await runCell(k, cell, code, kind === "deepts" ? cell.next?.deepts : cell.next?.python);
    if (kind === "deepts") problem = cell.expect(run);
    else if (cell.interrupt && (run.afterInterruptMs ?? 0) > 5000) problem = "not stopped within 5 s of the interrupt";
  } catch (e) {
    problem = (e as Error).message.split("\n")[0]!.replace(/; stderr:$/, "");
  }
  const health = await unhealthy(k, 5000);
  let state = "variable kept";
  if (health) {
    problem ??= health;
    state = health;
  } else if ((await resultOf(k, "sentinel", 10_000).catch(() => "")) !== "'kept'") {
    problem ??= "the variable defined before is gone";
    state = "VARIABLE LOST";
  }
  if (health && kind !== "deepts") {
    // The reference kernel died or hangs: start a fresh one for the next cell.
    k.proc.kill("SIGKILL");
    await k.shutdown().catch(() => undefined);
    await start(kind);
  }
  const extra = run && cell.describe ? `; ${cell.describe(run)}` : "";
  const body = run ? `${summary(run)}${extra}` : "no reply";
  return {
    ok: problem === undefined,
    text: `${problem === undefined ? "pass" : `FAIL (${problem})`}: ${body}; ${state}`,
  };
}

describe("hostile cells", () => {
  for (const cell of HOSTILE_CELLS) {
    test(cell.name, async () => {
      const [mine, reference] = await Promise.all(kinds.map((kind) => verdict(kind, cell)));
      rows.push({ probe: cell.name, deepts: mine!.text, ipykernel: reference?.text ?? "" });
      console.log(`${cell.name}\n  deepts:    ${mine!.text}\n  ipykernel: ${reference?.text ?? "-"}`);
      expect(mine!.ok, mine!.text).toBe(true);
    }, 240_000);
  }

  test("interrupts while idle change nothing: the next cell runs", async () => {
    const run = async (kind: KernelKind) => {
      const k = kernels.get(kind)!;
      for (let i = 0; i < 5; i++) await k.request("control", "interrupt_request", {}, 10_000);
      await sleep(2000);
      const value = await resultOf(k, kind === "deepts" ? "sentinel + '!'" : "sentinel + '!'");
      return { ok: value === "'kept!'", text: `next cell → ${value}` };
    };
    const [mine, reference] = await Promise.all(kinds.map(run));
    rows.push({
      probe: "5 interrupts while idle, then a cell",
      deepts: `${mine!.ok ? "pass" : "FAIL"}: ${mine!.text}`,
      ipykernel: reference ? `${reference.ok ? "pass" : "FAIL"}: ${reference.text}` : "",
    });
    expect(mine!.ok).toBe(true);
  }, 60_000);
});
