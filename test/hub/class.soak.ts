/**
 * A class on one server: HUB_STUDENTS (default 10) students on a JupyterHub, each with a single-user
 * server started through the hub's REST API and a deepts kernel started through it with
 * @jupyterlab/services, run a notebook at the same time. Every notebook completes, none sees another's
 * state, and one student's runaway cell slows the others by no more than their fair share of the CPU.
 */
import { KernelManager, ServerConnection, type Kernel } from "@jupyterlab/services";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import WebSocket from "ws";
import { repoRoot } from "../kernel/client.js";
import { hubMissing, TestHub, type StudentServer } from "./hub.js";

const STUDENTS = Number(process.env.HUB_STUDENTS ?? 10);
const missing = hubMissing();
if (missing) console.warn(`hub: skipped: ${missing}`);

interface Student {
  server: StudentServer;
  manager: KernelManager;
  kernel: Kernel.IKernelConnection;
}

let hub: TestHub;
const students: Student[] = [];
const names = Array.from({ length: STUDENTS }, (_, i) => `student${i}`);

async function run(kernel: Kernel.IKernelConnection, code: string): Promise<string> {
  let text = "";
  const future = kernel.requestExecute({ code, stop_on_error: true });
  future.onIOPub = (m) => {
    if (m.header.msg_type === "execute_result")
      text = String((m.content as { data: Record<string, unknown> }).data["text/plain"]);
  };
  const reply = await future.done;
  if (reply.content.status !== "ok") {
    const c = reply.content as { ename?: string; evalue?: string };
    throw new Error(`${code.split("\n")[0]}: ${c.ename}: ${c.evalue}`);
  }
  return text;
}

/** The notebook every student runs: their own names, a small model trained and used. */
const NOTEBOOK = [
  `const me = NAME;\nlet scores: number[] = [];`,
  `const xs = tf.randomNormal([256, 8]);
const ys = xs.sum(1, true).mul(0.5);
const model = tf.sequential({ layers: [tf.layers.dense({ units: 16, activation: "relu", inputShape: [8] }), tf.layers.dense({ units: 1 })] });
model.compile({ optimizer: "adam", loss: "meanSquaredError" });
const history = await model.fit(xs, ys, { epochs: 5, batchSize: 32, verbose: 0 });
scores.push(history.history.loss.at(-1) as number);`,
  `(model.predict(xs) as tf.Tensor).shape`,
  "`${me} ${scores.length}`",
];

async function runNotebook(s: Student): Promise<{ ms: number; last: string }> {
  const t0 = performance.now();
  let last = "";
  for (const cell of NOTEBOOK) last = await run(s.kernel, cell.replace("NAME", JSON.stringify(s.server.name)));
  return { ms: performance.now() - t0, last };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

beforeAll(async () => {
  if (missing) {
    if (process.env.CI) throw new Error(`hub: ${missing}`); // CI installs them: missing there is a failure
    return;
  }
  hub = await TestHub.start({ DEEPTS_THREADS: "1" });
  const servers = await Promise.all(names.map((n) => hub.startServer(n)));
  for (const server of servers) {
    const serverSettings = ServerConnection.makeSettings({
      baseUrl: server.baseUrl,
      wsUrl: server.wsUrl,
      token: server.token,
      WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
      fetch: globalThis.fetch.bind(globalThis),
    });
    const manager = new KernelManager({ serverSettings });
    await manager.ready;
    students.push({ server, manager, kernel: await manager.startNew({ name: "deepts" }) });
  }
}, 1_200_000);

afterAll(async () => {
  for (const s of students) {
    await s.kernel.shutdown().catch(() => undefined);
    s.manager.dispose();
  }
  await hub?.stop(names);
});

test.skipIf(missing !== undefined && !process.env.CI)(
  `${STUDENTS} students run a notebook at once; none sees another's state; a runaway cell takes only its share`,
  async () => {
    // Each kernel is a process of its own, in its student's home.
    const where = await Promise.all(students.map((s) => run(s.kernel, "`${process.pid} ${process.cwd()}`")));
    expect(new Set(where.map((w) => w.split(" ")[0])).size).toBe(STUDENTS);
    where.forEach((w, i) => expect(w).toMatch(new RegExp(`/home/${names[i]}'?$`)));

    // All at once: once to warm up (the first cell loads TypeScript), then timed without and with a
    // runaway cell in student0's kernel.
    await Promise.all(students.map(runNotebook));
    const calm = await Promise.all(students.map(runNotebook));
    calm.forEach((r, i) => expect(r.last).toBe(`'${names[i]} 1'`));
    const others = students.slice(1);
    const runaway = students[0]!.kernel.requestExecute({ code: "let spins = 0;\nwhile (true) spins++;" });
    await new Promise((r) => setTimeout(r, 2000));
    const loaded = await Promise.all(others.map(runNotebook));
    // Running the notebook again starts `scores` afresh: each kernel still has only its own student's.
    loaded.forEach((r, i) => expect(r.last).toBe(`'${names[i + 1]} 1'`));
    await students[0]!.kernel.interrupt();
    const stopped = await runaway.done;
    expect(stopped.content.status).toBe("error");
    expect(await run(students[0]!.kernel, "`${me} ${spins > 0}`")).toBe("'student0 true'");

    // Fair share: the runaway is one more CPU-bound process beside the others' kernels.
    const slowdowns = others.map((_, i) => loaded[i]!.ms / calm[i + 1]!.ms);
    const fairShare = STUDENTS / (STUDENTS - 1);
    const figures = {
      students: STUDENTS,
      calmMedianMs: median(calm.map((r) => r.ms)),
      withRunawayMedianMs: median(loaded.map((r) => r.ms)),
      medianSlowdown: median(slowdowns),
      maxSlowdown: Math.max(...slowdowns),
      fairShare,
    };
    const report = [
      `## JupyterHub: ${STUDENTS} students at once`,
      "",
      "| students | notebook, all at once (median ms) | with one runaway cell (median ms) | slowdown median / max | fair share |",
      "| ---: | ---: | ---: | ---: | ---: |",
      `| ${STUDENTS} | ${figures.calmMedianMs.toFixed(0)} | ${figures.withRunawayMedianMs.toFixed(0)} | ${figures.medianSlowdown.toFixed(2)} / ${figures.maxSlowdown.toFixed(2)} | ${fairShare.toFixed(2)} |`,
      "",
    ].join("\n");
    console.log(`\n${report}`);
    const dir = join(repoRoot, "test-output/soak");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "hub.md"), report);
    // Timing on a shared machine is noisy: allow twice the fair share before calling it unfair.
    expect(figures.medianSlowdown).toBeLessThanOrEqual(2 * fairShare);
  },
);
