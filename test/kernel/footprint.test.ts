/**
 * An idle kernel is small and quiet: a class runs thirty of them on one server. TypeScript and the
 * language service load with the first cell, not at start; nothing polls while idle.
 */
import { afterAll, beforeAll, expect, test } from "vitest";
import { cpuSeconds, rssMb } from "../soak/measure.js";
import { TestKernel } from "./client.js";

let k: TestKernel;
beforeAll(async () => {
  // As on a JupyterHub server: no X display. With one (the test setup sets DISPLAY for headlessgl)
  // and headless-gl built, the runtime probes a WebGL context at start, which adds ~80 MB.
  k = await TestKernel.start({ env: { DISPLAY: "" } });
});
afterAll(async () => {
  await k?.shutdown();
});

/** Waits until the process has used no CPU for a second (its start-up work is done). */
async function settled(pid: number, limitMs = 30_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  let before = cpuSeconds(pid);
  let quiet = 0;
  while (quiet < 2 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 500));
    const now = cpuSeconds(pid);
    quiet = now - before < 0.01 ? quiet + 1 : 0;
    before = now;
  }
}

test("an idle kernel after start holds at most 120 MB and uses no CPU", async () => {
  const pid = k.proc.pid!;
  await settled(pid);
  const rss = rssMb(pid);
  const cpu0 = cpuSeconds(pid);
  await new Promise((r) => setTimeout(r, 5000));
  const idleCpu = cpuSeconds(pid) - cpu0;
  console.log(`idle kernel: RSS ${rss.toFixed(0)} MB, CPU over 5 s idle ${(idleCpu * 1000).toFixed(0)} ms`);
  expect(rss).toBeLessThanOrEqual(120);
  // Clock ticks are 10 ms: a few ticks in five seconds (V8's idle-time tasks, a loaded machine's
  // accounting) are noise; a polling timer shows as more.
  expect(idleCpu).toBeLessThan(0.045);
});

test("Tab before any cell waits for TypeScript to load and completes, rather than answering nothing", async () => {
  const reply = await k.request("shell", "complete_request", { code: "Math.ma", cursor_pos: 7 }, 120_000);
  expect(reply.content.status).toBe("ok");
  expect(reply.content.matches).toContain("max");
});

test("the first cell loads what it needs, and the kernel is idle again after it", async () => {
  const { reply, outputs } = await k.execute("const answer: number = 6 * 7;\nanswer", {}, 120_000);
  expect(reply.content.status).toBe("ok");
  expect(outputs.find((m) => m.header.msg_type === "execute_result")?.content.data).toMatchObject({
    "text/plain": "42",
  });
  // Type errors still point at the user's line.
  const bad = await k.execute('const wrong: number = "six";');
  expect(bad.reply.content.status).toBe("error");
  expect(String(bad.reply.content.evalue)).toMatch(/line 1:col \d+ - error TS2322/);
  const pid = k.proc.pid!;
  await settled(pid);
  const cpu0 = cpuSeconds(pid);
  await new Promise((r) => setTimeout(r, 3000));
  expect(cpuSeconds(pid) - cpu0).toBeLessThan(0.045);
});
