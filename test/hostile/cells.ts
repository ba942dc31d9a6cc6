/**
 * Cells a careless (or curious) student runs, each in TypeScript for deepts and, where Python has
 * the same thing, for the reference kernel: ending or killing the kernel, errors that come later,
 * runaway output, out-of-memory, values that cannot be shown, and interrupts in every place a
 * cell can be. What deepts must answer is in `expect`.
 */
import { readFileSync } from "node:fs";
import { totalmem } from "node:os";
import type { JupyterMessage } from "../../src/wire/message.js";

/** What a cell produced. */
export interface CellRun {
  reply: JupyterMessage;
  outputs: JupyterMessage[];
  /** Outputs of the follow-up cell (`next`), when there is one. */
  after?: { reply: JupyterMessage; outputs: JupyterMessage[] };
  /** From sending the cell to its reply, and from the (first) interrupt to the reply (ms). */
  ms: number;
  afterInterruptMs?: number;
}

export interface HostileCell {
  name: string;
  /** The cell for deepts and for ipykernel (undefined: Python has no such thing). */
  deepts: string;
  python?: string;
  /** A cell run before, not measured (e.g. making a large matrix). */
  setup?: { deepts: string; python?: string };
  /** A cell run after, in the same check (e.g. to see a later error or that a model still trains). */
  next?: { deepts: string; python?: string };
  /** Interrupt requests sent while the cell runs. */
  interrupt?: { afterMs: number; count?: number };
  /** How long the cell may take to answer (default 60 s). */
  timeoutMs?: number;
  /** What deepts's run must show; returns the problem, or undefined when it is right. */
  expect(run: CellRun): string | undefined;
  /** What the table says about a run, beyond status and timings. */
  describe?(run: CellRun): string;
}

export const text = (outputs: JupyterMessage[], name: "stdout" | "stderr") =>
  outputs
    .filter((m) => m.header.msg_type === "stream" && m.content.name === name)
    .map((m) => String(m.content.text))
    .join("");

export const resultText = (outputs: JupyterMessage[]) =>
  String(
    (
      outputs.find((m) => m.header.msg_type === "execute_result")?.content.data as Record<string, unknown> | undefined
    )?.["text/plain"] ?? "",
  );

const check = (ok: boolean, problem: string) => (ok ? undefined : problem);
const errorIs = (run: CellRun, ename: string, evalue: RegExp) =>
  check(
    run.reply.content.ename === ename && evalue.test(String(run.reply.content.evalue)),
    `expected ${ename} matching ${evalue}, got ${run.reply.content.status} ${run.reply.content.ename}: ${run.reply.content.evalue}`,
  );
/** The message of a cell stopped forcibly (it did not reach an interrupt check). */
const FORCED = /stopped where it was\. Your variables are kept/;
/**
 * The cell ended with an InterruptError. `how` says which way: "check" (the cell's own interrupt
 * checks stopped it: not the forced stop), "forced" (stopped where it was), or "either". How long
 * it took is reported in the table, not asserted: on a loaded 2-core machine times vary.
 */
const interrupted = (run: CellRun, how: "check" | "forced" | "either") => {
  const evalue = String(run.reply.content.evalue);
  return (
    errorIs(run, "InterruptError", /^Execution interrupted|^Interrupted/) ??
    (how === "check"
      ? check(!FORCED.test(evalue), "stopped forcibly instead of by its own interrupt checks")
      : how === "forced"
        ? check(FORCED.test(evalue), `not the forced stop's message: ${evalue}`)
        : undefined)
  );
};

/** A typed array larger than memory: at least 32 GB, and twice the machine's memory. */
const HUGE_BYTES = Math.max(32 * 2 ** 30, 2 * totalmem());
/**
 * With vm.overcommit_memory = 1 Linux grants any allocation; Python's bytearray then writes every
 * page and the machine runs out of memory, so that cell is not sent to Python there.
 */
const overcommitsAlways = (() => {
  try {
    return readFileSync("/proc/sys/vm/overcommit_memory", "utf8").trim() === "1";
  } catch {
    return false;
  }
})();

export const HOSTILE_CELLS: HostileCell[] = [
  {
    name: "process.exit(1)",
    deepts: "process.exit(1)",
    python: "import sys\nsys.exit(1)",
    expect: (r) => errorIs(r, "Error", /process\.exit\(\) is not allowed in a notebook cell.*Restart kernel/),
  },
  {
    name: "SIGKILL to the kernel's own process",
    deepts: 'process.kill(process.pid, "SIGKILL")',
    python: "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)",
    expect: (r) => errorIs(r, "Error", /process\.kill\(\d+, "SIGKILL"\) of the kernel itself is not allowed/),
  },
  {
    name: "SIGKILL to the kernel's own process group",
    deepts: 'process.kill(-process.pid, "SIGKILL")',
    python: "import os, signal\nos.killpg(os.getpgid(0), signal.SIGKILL)",
    expect: (r) => errorIs(r, "Error", /process\.kill\(-\d+, "SIGKILL"\) of the kernel's process group is not allowed/),
  },
  {
    name: "a signal to the kernel's parent (the Jupyter server; SIGCONT, harmless if it went through)",
    deepts: 'process.kill(process.ppid, "SIGCONT")',
    python: "import os, signal\nos.kill(os.getppid(), signal.SIGCONT)",
    expect: (r) => errorIs(r, "Error", /of the Jupyter server that started the kernel is not allowed/),
  },
  {
    name: "a signal to every process (pid -1)",
    deepts: 'process.kill(-1, "SIGCONT")',
    expect: (r) => errorIs(r, "Error", /of every process this user may signal is not allowed/),
  },
  {
    name: "an exception thrown later in a timer",
    deepts: 'setTimeout(() => { throw new Error("thrown later") }, 100); "scheduled"',
    python: 'import threading\nthreading.Timer(0.1, lambda: 1 / 0).start()\n"scheduled"',
    next: {
      deepts: "await new Promise((r) => setTimeout(r, 400)); 'waited'",
      python: "import time\ntime.sleep(0.4)\n'waited'",
    },
    expect: (r) =>
      check(r.reply.content.status === "ok", "the cell failed") ??
      check(r.after?.reply.content.status === "ok", "the next cell failed instead of reporting the error") ??
      check(
        /An uncaught error in a timer or callback from Cell In\[\d+\]/.test(
          text([...r.outputs, ...(r.after?.outputs ?? [])], "stderr"),
        ) && /thrown later/.test(text([...r.outputs, ...(r.after?.outputs ?? [])], "stderr")),
        "no report of the error on stderr",
      ),
    describe: (r) =>
      `later: ${text([...r.outputs, ...(r.after?.outputs ?? [])], "stderr")
        .split("\n")[0]!
        .slice(0, 90)}`,
  },
  {
    name: "an unhandled promise rejection",
    deepts: 'Promise.reject(new Error("nobody caught me")); await new Promise((r) => setTimeout(r, 100)); "after"',
    python:
      'import asyncio\nasync def fail():\n    raise ValueError("nobody caught me")\nasyncio.ensure_future(fail())\nawait asyncio.sleep(0.1)\n"after"',
    expect: (r) => errorIs(r, "Error", /nobody caught me/),
  },
  {
    name: "infinite recursion (the traceback stays short)",
    deepts: "function f(n: number): number { return f(n + 1) + 1 }\nf(0)",
    python: "def f(n):\n    return f(n + 1) + 1\nf(0)",
    expect: (r) =>
      errorIs(r, "RangeError", /Maximum call stack size exceeded \(a function called itself too deeply/) ??
      check((r.reply.content.traceback as string[]).join("\n").split("\n").length < 30, "a long traceback"),
    describe: (r) => `traceback: ${(r.reply.content.traceback as string[]).join("\n").split("\n").length} lines`,
  },
  {
    name: "10,000 updates of one display handle (the last state arrives, before idle)",
    deepts:
      'const counter = display("0", { id: "counter" });\nfor (let i = 1; i <= 10000; i++) counter.update(String(i));',
    python: 'counter = display("0", display_id=True)\nfor i in range(1, 10001):\n    counter.update(str(i))',
    expect: (r) => {
      const updates = r.outputs.filter((m) => m.header.msg_type === "update_display_data");
      const last = updates.at(-1)?.content.data as Record<string, string> | undefined;
      return check(last?.["text/plain"] === "'10000'", `the last update shows ${last?.["text/plain"]}`);
    },
    describe: (r) => {
      const updates = r.outputs.filter((m) => m.header.msg_type === "update_display_data");
      const last = (updates.at(-1)?.content.data as Record<string, string> | undefined)?.["text/plain"];
      return `${updates.length} update messages received; last shows ${last}`;
    },
  },
  {
    name: "tf.zeros([1e5, 1e5]) / np.zeros((100000, 100000))",
    deepts: "tf.zeros([1e5, 1e5])",
    python: "import numpy as np\nnp.zeros((100000, 100000))",
    expect: (r) =>
      errorIs(r, "RangeError", /^Cannot allocate a float32 tensor of 10,000,000,000 elements \(40\.0 GB\)/),
  },
  {
    name: `a ${(HUGE_BYTES / 2 ** 30).toFixed(0)} GB typed array / bytearray`,
    // Through an ArrayBuffer: a Float64Array of more than 2^32 elements fails on its length first.
    deepts: `new Float64Array(new ArrayBuffer(${HUGE_BYTES}))`,
    python: overcommitsAlways ? undefined : `bytearray(${HUGE_BYTES})`,
    expect: (r) => errorIs(r, "RangeError", /Array buffer allocation failed \(out of memory/),
  },
  {
    name: "NaN and Infinity through ops and fit",
    deepts: [
      "const odd = tf.tensor([NaN, Infinity, -Infinity, 1]);",
      "const oddNet = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] });",
      'oddNet.compile({ optimizer: "sgd", loss: "meanSquaredError" });',
      "const oddFit = await oddNet.fit(tf.tensor2d([[NaN], [Infinity], [1], [2]]), tf.tensor2d([[1], [2], [3], [Infinity]]), { epochs: 2 });",
      "[odd.add(1).dataSync().join(' '), oddFit.history.loss.join(' ')].join(' | ')",
    ].join("\n"),
    python: "import numpy as np\n' '.join(map(str, np.array([np.nan, np.inf, -np.inf, 1.0]) + 1))",
    expect: (r) =>
      check(r.reply.content.status === "ok", `status ${r.reply.content.status}: ${r.reply.content.evalue}`) ??
      check(/^'NaN Infinity -Infinity 2 \| NaN NaN'$/.test(resultText(r.outputs)), `result ${resultText(r.outputs)}`),
    describe: (r) => resultText(r.outputs),
  },
  {
    name: "a 100,000-deep structure as the last expression",
    deepts: "let deep: any = {}; for (let i = 0; i < 100000; i++) deep = { d: deep }; deep",
    python: "deep = []\nfor i in range(100000):\n    deep = [deep]\ndeep",
    expect: (r) => check(r.reply.content.status === "ok" && resultText(r.outputs).length > 0, "no result shown"),
    describe: (r) => resultText(r.outputs).slice(0, 60),
  },
  {
    name: "a cyclic structure as the last expression",
    deepts: 'const cyc: any = { name: "cycle" }; cyc.self = cyc; cyc.list = [cyc, [cyc]]; cyc',
    python: 'cyc = {"name": "cycle"}\ncyc["self"] = cyc\ncyc["list"] = [cyc, [cyc]]\ncyc',
    expect: (r) => check(/Circular/.test(resultText(r.outputs)), `result ${resultText(r.outputs)}`),
    describe: (r) => resultText(r.outputs).slice(0, 60),
  },
  {
    name: "a Proxy whose traps throw, as the last expression",
    deepts:
      'new Proxy({}, { get() { throw new Error("get trap") }, has() { throw new Error("has trap") }, ownKeys() { throw new Error("ownKeys trap") }, getPrototypeOf() { throw new Error("getPrototypeOf trap") }, getOwnPropertyDescriptor() { throw new Error("descriptor trap") } })',
    python: 'class Evil:\n    def __getattribute__(self, name):\n        raise RuntimeError("trap")\nEvil()',
    expect: (r) =>
      check(
        r.reply.content.status === "ok" && /could not be displayed/.test(resultText(r.outputs)),
        `result ${resultText(r.outputs)}`,
      ),
    describe: (r) => resultText(r.outputs).slice(0, 70),
  },
  {
    name: "a display hook that throws",
    deepts: '({ [Symbol.for("Jupyter.display")]() { throw new Error("hook broke") } })',
    python: 'class Hook:\n    def _repr_html_(self):\n        raise ValueError("hook broke")\nHook()',
    expect: (r) =>
      check(/could not be displayed: hook broke/.test(resultText(r.outputs)), `result ${resultText(r.outputs)}`),
    describe: (r) => resultText(r.outputs).slice(0, 70),
  },
  {
    name: "interrupt: a display hook that never returns",
    deepts: '({ [Symbol.for("Jupyter.display")]() { for (;;) {} } })',
    python: "class Hook:\n    def _repr_html_(self):\n        while True:\n            pass\nHook()",
    interrupt: { afterMs: 1500 },
    expect: (r) => interrupted(r, "check"),
  },
  {
    name: "interrupt: await new Promise(() => {})",
    deepts: "await new Promise(() => {})",
    python: "import asyncio\nawait asyncio.Future()",
    interrupt: { afterMs: 1000 },
    expect: (r) => interrupted(r, "check"),
  },
  {
    name: "interrupt: model.fit (the model trains again after)",
    setup: {
      deepts:
        'const net = tf.sequential({ layers: [tf.layers.dense({ units: 32, activation: "relu", inputShape: [20] }), tf.layers.dense({ units: 1 })] });\nnet.compile({ optimizer: "adam", loss: "meanSquaredError" });\nconst fx = tf.randomNormal([2000, 20]); const fy = tf.randomNormal([2000, 1]);',
    },
    deepts: "await net.fit(fx, fy, { epochs: 1000, batchSize: 32, verbose: 0 })",
    next: { deepts: "(await net.fit(fx, fy, { epochs: 1, batchSize: 500, verbose: 0 })).history.loss.length" },
    interrupt: { afterMs: 2000 },
    expect: (r) =>
      interrupted(r, "check") ?? check(resultText(r.after?.outputs ?? []) === "1", "the model did not train again"),
  },
  {
    name: "interrupt: a loop inside a function",
    deepts: "function spin() { let x = 0; for (;;) x++ }\nspin()",
    python: "def spin():\n    x = 0\n    while True:\n        x += 1\nspin()",
    interrupt: { afterMs: 1000 },
    expect: (r) => interrupted(r, "check"),
  },
  {
    name: "interrupt: a catastrophic regular expression",
    deepts: '/(a+)+$/.test("a".repeat(40) + "b")',
    python: 'import re\nre.match(r"(a+)+$", "a" * 40 + "b")',
    interrupt: { afterMs: 1000 },
    timeoutMs: 20_000,
    expect: (r) => interrupted(r, "forced"),
  },
  {
    name: "interrupt: Atomics.wait / threading.Event().wait()",
    deepts: "Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0)",
    python: "import threading\nthreading.Event().wait()",
    interrupt: { afterMs: 1000 },
    timeoutMs: 20_000,
    expect: (r) => interrupted(r, "forced"),
  },
  {
    name: "interrupt: one large matrix product (native backend)",
    setup: {
      deepts: "const big = tf.randomUniform([4000, 4000]); big.dataSync().length",
      python: "import numpy as np\nbig = np.random.rand(4000, 4000).astype(np.float32)\nbig.size",
    },
    deepts: "tf.matMul(big, big).dataSync()[0]",
    python: "(big @ big)[0, 0]",
    interrupt: { afterMs: 800 },
    timeoutMs: 120_000,
    expect: (r) => interrupted(r, "either"),
  },
  {
    name: "interrupt: a synchronous child process (execSync sleep 8 / subprocess.run)",
    deepts: 'require("child_process").execSync("sleep 8"); "slept"',
    python: 'import subprocess\nsubprocess.run(["sleep", "8"])\n"slept"',
    interrupt: { afterMs: 1000 },
    timeoutMs: 30_000,
    expect: (r) =>
      interrupted(r, "forced") ??
      check(
        /cannot be interrupted.*child processes of the kernel were sent SIGINT/.test(text(r.outputs, "stderr")),
        "no notice",
      ),
    describe: (r) => (text(r.outputs, "stderr") ? `notice: ${text(r.outputs, "stderr").slice(0, 60)}…` : ""),
  },
  {
    name: "20 interrupts in a burst (the next cell is not interrupted)",
    deepts: "let burst = 0; for (;;) burst++",
    python: "burst = 0\nwhile True:\n    burst += 1",
    interrupt: { afterMs: 1000, count: 20 },
    next: { deepts: "burst > 0", python: "burst > 0" },
    expect: (r) =>
      interrupted(r, "check") ??
      check(
        resultText(r.after?.outputs ?? []) === "true",
        `next cell: ${r.after?.reply.content.status} ${resultText(r.after?.outputs ?? [])}`,
      ),
  },
];
