import { afterAll, beforeAll, describe, expect, test } from "vitest";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createCellEvaluator, type CellResult } from "../../src/eval/index.js";
import { startWorkerEvaluator, type WorkerEvaluator } from "./worker-harness.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const cwd = path.join(here, "fixtures");

function interruptAfter(flag: Int32Array, ms: number): void {
  setTimeout(() => Atomics.store(flag, 0, 1), ms);
}

function expectInterrupted(r: CellResult, line?: number): void {
  expect(r.status).toBe("error");
  if (r.status !== "error") return;
  expect(r.ename).toBe("InterruptError");
  if (line !== undefined) expect(r.traceback.join("\n")).toContain(`line ${line}`);
}

describe("interrupting a cell evaluator that runs in a worker thread", () => {
  let w: WorkerEvaluator;
  beforeAll(async () => {
    w = await startWorkerEvaluator(cwd);
  });
  afterAll(async () => {
    await w?.close();
  });

  test("a synchronous while(true) stops, and earlier variables remain", async () => {
    expect((await w.execute("let before = 41;")).status).toBe("ok");
    interruptAfter(w.flag, 200);
    const r = await w.execute("let spins = 0;\nwhile (true) {\n  spins++;\n}");
    expectInterrupted(r, 2);
    Atomics.store(w.flag, 0, 0);
    expect(await w.execute("[before + 1, spins > 0]")).toMatchObject({ status: "ok", value: "[42,true]" });
  });

  test("a loop inside a function defined in an earlier cell stops, with the function in the traceback", async () => {
    await w.execute("function spin(): number {\n  let n = 0;\n  for (;;) n++;\n}");
    interruptAfter(w.flag, 150);
    const r = await w.execute("spin();");
    expectInterrupted(r);
    expect(r.status === "error" && r.traceback.join("\n")).toContain("in spin");
    Atomics.store(w.flag, 0, 0);
  });

  test("recursion without loops stops at function entry", async () => {
    await w.execute("function deep(n: number): number { return n === 0 ? 0 : deep(n - 1) + deep(n - 1); }");
    interruptAfter(w.flag, 150);
    expectInterrupted(await w.execute("deep(60)"));
    Atomics.store(w.flag, 0, 0);
  });

  test("the evaluator runs normally once the flag is cleared", async () => {
    expect(await w.execute("let after = 0;\nfor (let i = 0; i < 1000; i++) after += i;\nafter")).toMatchObject({
      status: "ok",
      value: 499500,
    });
  });
});

describe("interrupting async cells (flag set from a timer)", () => {
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const ev = createCellEvaluator({ cwd, residents: [], interruptFlag: flag });
  afterAll(() => ev.dispose?.());

  test("an async loop with await stops, and its variables remain", async () => {
    // The interrupt comes once the loop has ticked three times (a fixed delay could come before
    // the first tick on a loaded machine).
    (globalThis as { loopTicked?: () => void }).loopTicked = () => interruptAfter(flag, 20);
    const r = await ev.execute(
      "let ticks = 0;\nwhile (true) {\n  if (++ticks === 3) loopTicked();\n  await new Promise((r) => setTimeout(r, 10));\n}",
      { typeCheck: false },
    );
    delete (globalThis as { loopTicked?: () => void }).loopTicked;
    expectInterrupted(r, 2);
    Atomics.store(flag, 0, 0);
    const after = await ev.execute("ticks", { typeCheck: false });
    expect(after.status === "ok" && (after.value as number)).toBeGreaterThanOrEqual(3);
  });

  test("an await on a promise that never settles is given up", async () => {
    interruptAfter(flag, 100);
    expectInterrupted(await ev.execute("await new Promise(() => {});", { typeCheck: false }));
    Atomics.store(flag, 0, 0);
  });
});
