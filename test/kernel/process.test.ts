/** End to end: the built kernel process (`node dist/cli/main.js kernel <cf>`) driven over ZeroMQ. */
import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { TestKernel } from "./client.js";

let k: TestKernel;
beforeAll(async () => {
  k = await TestKernel.start();
  // The first cell waits for TypeScript to load in the worker.
  await k.execute("0", {}, 60_000);
});
afterAll(async () => {
  await k?.shutdown();
});

const stdout = (outputs: Parameters<typeof TestKernel.streamText>[0]) => TestKernel.streamText(outputs, "stdout");
/** The message of a cell stopped forcibly (it did not reach an interrupt check in time). */
const FORCED_STOP = /stopped where it was\. Your variables are kept/;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("kernel process", () => {
  test("kernel_info over shell and control", async () => {
    for (const channel of ["shell", "control"] as const) {
      const r = await k.request(channel, "kernel_info_request");
      expect(r.content).toMatchObject({
        status: "ok",
        protocol_version: "5.3",
        implementation: "deepts",
        language_info: { name: "typescript" },
      });
    }
  });

  test("stdout, stderr, result and error of cells; state persists", async () => {
    const a = await k.execute("const greeting = 'hi'; console.log(greeting); console.warn('careful'); 6 * 7");
    expect(a.reply.content.status).toBe("ok");
    expect(stdout(a.outputs)).toBe("hi\n");
    expect(TestKernel.streamText(a.outputs, "stderr")).toBe("careful\n");
    const result = a.outputs.find((m) => m.header.msg_type === "execute_result")!;
    expect((result.content.data as Record<string, string>)["text/plain"]).toBe("42");
    expect(result.content.execution_count).toBe(a.reply.content.execution_count);
    const b = await k.execute("greeting.toUpperCase()");
    expect((b.outputs[0]!.content.data as Record<string, string>)["text/plain"]).toBe("'HI'");
    const c = await k.execute("throw new RangeError('nope')");
    expect(c.reply.content).toMatchObject({ status: "error", ename: "RangeError", evalue: "nope" });
    expect(c.outputs.map((m) => m.header.msg_type)).toEqual(["error"]);
  });

  test("process.stdout/stderr writes become stream output too", async () => {
    const r = await k.execute("process.stdout.write('raw out\\n'); process.stderr.write('raw err\\n'); undefined");
    expect(r.outputs.map((m) => [m.content.name, m.content.text])).toEqual([
      ["stdout", "raw out\n"],
      ["stderr", "raw err\n"],
    ]);
  });

  test("`name?` shows help in the pager", async () => {
    const r = await k.execute("Math.max?");
    const payload = r.reply.content.payload as { source: string; data: Record<string, string> }[];
    expect(payload[0]!.source).toBe("page");
    expect(payload[0]!.data["text/plain"]).toMatch(/max/);
  });

  test("display() publishes display_data after earlier output, in order", async () => {
    const r = await k.execute("console.log('before'); display({ x: 1 }); console.log('after')");
    expect(r.outputs.map((m) => m.header.msg_type)).toEqual(["stream", "display_data", "stream"]);
    expect((r.outputs[1]!.content.data as Record<string, string>)["text/plain"]).toContain("x: 1");
  });

  test("user_expressions are evaluated after the cell", async () => {
    const r = await k.execute("let ue = 20", { user_expressions: { twice: "ue * 2", bad: "nope_not_defined" } });
    const ue = r.reply.content.user_expressions as Record<string, Record<string, unknown>>;
    expect(ue.twice).toMatchObject({ status: "ok", data: { "text/plain": "40" } });
    expect(ue.bad!.status).toBe("error");
  });

  test("throw, reject, process.exit and 10 MB of output do not kill the kernel", async () => {
    expect((await k.execute("throw 'a string'")).reply.content.status).toBe("error");
    expect((await k.execute("await Promise.reject(new Error('rejected'))")).reply.content).toMatchObject({
      status: "error",
      evalue: "rejected",
    });
    const exit = await k.execute("process.exit(0)");
    expect(exit.reply.content.evalue).toMatch(/process.exit\(\) is not allowed/);
    const big = await k.execute("console.log('y'.repeat(10_000_000)); 'done'");
    expect(big.reply.content.status).toBe("ok");
    expect(stdout(big.outputs).length).toBeLessThan(3_000_000);
    expect(TestKernel.streamText(big.outputs, "stderr")).toMatch(/output truncated/);
    const many = await k.execute("for (let i = 0; i < 100000; i++) console.log(i)");
    expect(stdout(many.outputs).split("\n").length).toBe(100001);
    expect(many.outputs.length).toBeLessThan(200);
    expect((await k.execute("1 + 1")).outputs[0]!.content.data).toEqual({ "text/plain": "2" });
  });

  test("heartbeat and control answer while a cell spins; interrupt_request stops it by its own checks", async () => {
    await k.execute("let kept = 'still here'");
    const running = k.execute("while (true) {}");
    await sleep(300);
    expect(await k.ping()).toBeLessThan(5000);
    const info = await k.request("control", "kernel_info_request", {}, 2000);
    expect(info.content.status).toBe("ok");
    await k.request("control", "interrupt_request");
    const r = await running;
    expect(r.reply.content).toMatchObject({ status: "error", ename: "InterruptError" });
    expect(r.reply.content.evalue).not.toMatch(FORCED_STOP);
    expect((await k.execute("kept")).outputs[0]!.content.data).toEqual({ "text/plain": "'still here'" });
  });

  test("SIGINT stops a synchronous loop by its own checks", async () => {
    const running = k.execute("let spins = 0; while (true) { spins++ }");
    await sleep(300);
    process.kill(k.proc.pid!, "SIGINT");
    const r = await running;
    expect(r.reply.content.ename).toBe("InterruptError");
    expect(r.reply.content.evalue).not.toMatch(FORCED_STOP);
    expect((await k.execute("spins > 0")).outputs[0]!.content.data).toEqual({ "text/plain": "true" });
  });

  test("an async infinite loop stops via SIGINT and via interrupt_request", async () => {
    for (const how of ["signal", "request"]) {
      const running = k.execute("while (true) { await new Promise((r) => setTimeout(r, 5)) }");
      await sleep(300);
      if (how === "signal") process.kill(k.proc.pid!, "SIGINT");
      else await k.request("control", "interrupt_request");
      const r = await running;
      expect(r.reply.content.ename).toBe("InterruptError");
      expect(r.reply.content.evalue).not.toMatch(FORCED_STOP);
    }
    expect((await k.execute("kept.length")).outputs[0]!.content.data).toEqual({ "text/plain": "10" });
  });

  test("interrupting model.fit: 'Interrupted' at the user's cell and line, no kernel frames, the panel says where it stopped", async () => {
    await k.execute(
      [
        "const fitModel = tf.sequential();",
        "fitModel.add(tf.layers.dense({ units: 64, activation: 'relu', inputShape: [100] }));",
        "fitModel.add(tf.layers.dense({ units: 1 }));",
        "fitModel.compile({ optimizer: 'adam', loss: 'meanSquaredError' });",
        "const fitX = tf.randomNormal([2000, 100]); const fitY = tf.randomNormal([2000, 1]);",
      ].join("\n"),
    );
    const running = k.execute(
      "// a long run\nconst fitHistory = await fitModel.fit(fitX, fitY, { epochs: 500, batchSize: 8 });",
    );
    await k.waitIopub(
      (m) =>
        m.header.msg_type === "update_display_data" &&
        /batch \d+\/250/.test((m.content.data as Record<string, string>)["text/plain"] ?? ""),
      60_000,
    );
    await k.request("control", "interrupt_request");
    const r = await running;
    expect(r.reply.content).toMatchObject({ status: "error", ename: "InterruptError", evalue: "Interrupted" });
    const error = r.outputs.find((m) => m.header.msg_type === "error")!;
    const traceback = (error.content.traceback as string[]).join("\n");
    expect(traceback).toMatch(/^Cell In\[\d+\], line 2\n/);
    expect(traceback).toContain("----> 2 const fitHistory = await fitModel.fit(");
    expect(traceback).not.toMatch(/file:|dist\/|node:internal|at /);
    const panel = r.outputs.filter((m) => m.header.msg_type === "update_display_data").at(-1)!;
    const text = (panel.content.data as Record<string, string>)["text/plain"];
    expect(text).toMatch(/^Training: stopped at epoch \d+\/500 · .*interrupted after/);
    expect((await k.execute("fitX.shape")).outputs[0]!.content.data).toEqual({ "text/plain": "[ 2000, 100 ]" });
  });

  test("awaiting a promise that never settles can be interrupted", async () => {
    const running = k.execute("await new Promise(() => {})");
    await sleep(300);
    await k.request("control", "interrupt_request");
    const r = await running;
    expect(r.reply.content.ename).toBe("InterruptError");
  });

  test("stop_on_error aborts queued cells", async () => {
    const first = k.execute("throw new Error('first')");
    const second = k.execute("'never runs'");
    expect((await first).reply.content.status).toBe("error");
    expect((await second).reply.content.status).toBe("aborted");
    expect((await k.execute("'runs'")).reply.content.status).toBe("ok");
  });

  test("badly signed, unsigned and malformed messages are dropped; the kernel goes on", async () => {
    const before = k.stderr.length;
    k.send("shell", "execute_request", { code: "globalThis.hacked = true" }, (frames) => {
      frames[1] = Buffer.from("0".repeat(64));
      return frames;
    });
    k.send("shell", "execute_request", { code: "globalThis.hacked = true" }, (frames) => {
      frames[1] = Buffer.alloc(0);
      return frames;
    });
    k.send("shell", "kernel_info_request", {}, () => [Buffer.from("garbage")]);
    await sleep(300);
    const log = k.stderr.slice(before);
    expect(log).toMatch(/invalid signature/);
    expect(log).toMatch(/missing signature/);
    expect(log).toMatch(/no <IDS\|MSG> delimiter/);
    expect((await k.execute("typeof (globalThis as any).hacked")).outputs[0]!.content.data).toEqual({
      "text/plain": "'undefined'",
    });
  });

  test("prompt() and await input() read from the frontend via stdin", async () => {
    k.onInputRequest = (m) => k.inputReply(`answer to ${m.content.prompt}`);
    const r = await k.execute("const a1 = prompt('first?'); const a2 = await input('second?'); a1 + ' / ' + a2", {
      allow_stdin: true,
    });
    k.onInputRequest = undefined;
    expect(r.reply.content.status).toBe("ok");
    expect(
      (r.outputs.find((m) => m.header.msg_type === "execute_result")!.content.data as Record<string, string>)[
        "text/plain"
      ],
    ).toBe("'answer to first? / answer to second?'");
    const refused = await k.execute("prompt('x')", { allow_stdin: false });
    expect(refused.reply.content.evalue).toMatch(/allow_stdin is false/);
  });

  test("an interrupt while waiting for input ends the cell", async () => {
    const running = k.execute("prompt('never answered')", { allow_stdin: true });
    while (k.stdinRequests.every((m) => m.content.prompt !== "never answered")) await sleep(20);
    await k.request("control", "interrupt_request");
    const r = await running;
    expect(r.reply.content.status).toBe("error");
    expect(r.reply.content.evalue).toMatch(/interrupted/);
  });

  test("cell code can offer comm targets and open comms with the resident comms API", async () => {
    const setup = await k.execute(`
comms.registerTarget("echo", (comm, { data }) => {
  comm.send({ opened: data });
  comm.onMsg((d) => comm.send({ echo: d }));
});
const outgoing = comms.open("frontend.target", { hello: 1 });
outgoing.send({ n: 2 });`);
    expect(setup.reply.content.status).toBe("ok");
    const opened = setup.outputs.find((m) => m.header.msg_type === "comm_open")!;
    expect(opened.content).toMatchObject({ target_name: "frontend.target", data: { hello: 1 } });
    const sent = setup.outputs.find((m) => m.header.msg_type === "comm_msg")!;
    expect(sent.content).toEqual({ comm_id: opened.content.comm_id, data: { n: 2 } });
    const info = await k.request("shell", "comm_info_request", { target_name: "frontend.target" });
    expect(info.content.comms).toEqual({ [opened.content.comm_id as string]: { target_name: "frontend.target" } });

    k.send("shell", "comm_open", { comm_id: "from-frontend", target_name: "echo", data: { x: 1 } });
    const hello = await k.waitIopub(
      (m) => m.header.msg_type === "comm_msg" && m.content.comm_id === "from-frontend",
      10_000,
    );
    expect(hello.content.data).toEqual({ opened: { x: 1 } });
    k.send("shell", "comm_msg", { comm_id: "from-frontend", data: { ping: 1 } });
    const echo = await k.waitIopub(
      (m) =>
        m.header.msg_type === "comm_msg" &&
        m.content.comm_id === "from-frontend" &&
        "echo" in (m.content.data as object),
      10_000,
    );
    expect(echo.content.data).toEqual({ echo: { ping: 1 } });

    k.send("shell", "comm_open", { comm_id: "nobody-home", target_name: "missing.target", data: {} });
    const closed = await k.waitIopub(
      (m) => m.header.msg_type === "comm_close" && m.content.comm_id === "nobody-home",
      10_000,
    );
    expect(closed.content).toEqual({ comm_id: "nobody-home", data: {} });
  });

  test("history_request returns executed cells", async () => {
    await k.execute("'history marker'");
    const r = await k.request("shell", "history_request", {
      hist_access_type: "search",
      pattern: "'history marker'",
      output: true,
      raw: true,
    });
    const rows = r.content.history as [number, number, [string, string]][];
    expect(rows.at(-1)![2]).toEqual(["'history marker'", "'history marker'"]);
  });
});

describe("kernel process lifecycle", () => {
  test("cells that ignore interrupts are stopped forcibly, again and again; the thread, its variables and output across awaits are kept", async () => {
    const kk = await TestKernel.start({ env: { DEEPTS_INTERRUPT_GRACE_MS: "500" } });
    try {
      await kk.execute("let x = 1", {}, 60_000);
      for (const code of [
        "Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0)",
        'x = 2; /(a+)+$/.test("a".repeat(40) + "b")',
        "x = 3; await new Promise((r) => setTimeout(r, 10)); Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0)",
      ]) {
        const running = kk.execute(code, {}, 60_000);
        await sleep(300);
        await kk.request("control", "interrupt_request");
        const r = await running;
        expect(r.reply.content.ename).toBe("InterruptError");
        expect(r.reply.content.evalue).toMatch(FORCED_STOP);
        // Output after an await still reaches its own cell (the per-request context works again).
        const after = await kk.execute(
          "await new Promise((r) => setTimeout(r, 20)); console.log('after', x); x",
          {},
          60_000,
        );
        expect(TestKernel.streamText(after.outputs, "stdout")).toMatch(/^after \d\n$/);
      }
      const last = await kk.execute("x", {}, 60_000);
      expect((last.outputs[0]!.content.data as Record<string, string>)["text/plain"]).toBe("3");
      expect(kk.proc.exitCode).toBeNull();
      expect(kk.proc.signalCode).toBeNull();
    } finally {
      await kk.shutdown();
    }
  });

  test("if the worker dies anyway, the cell reports it and a fresh worker takes over", async () => {
    const kk = await TestKernel.start();
    try {
      await kk.execute("let y = 2", {}, 60_000);
      const r = await kk.execute("(process as any).reallyExit(3)");
      expect(r.reply.content.ename).toBe("KernelRestarted");
      expect(kk.stderr).toMatch(/executor thread stopped/);
      expect((await kk.execute("typeof (globalThis as any).y", {}, 60_000)).outputs[0]!.content.data).toEqual({
        "text/plain": "'undefined'",
      });
    } finally {
      await kk.shutdown();
    }
  });

  test("shutdown (and shutdown with restart) exits the process and frees every port", async () => {
    for (const restart of [false, true]) {
      const kk = await TestKernel.start();
      // With a running worker the first time, straight after start the second time.
      if (!restart) await kk.execute("1", {}, 60_000);
      const reply = await kk.request("control", "shutdown_request", { restart });
      expect(reply.content).toEqual({ status: "ok", restart });
      expect(await kk.exited).toBe(0);
      kk.closeSockets();
      for (const port of [
        kk.info.shell_port,
        kk.info.iopub_port,
        kk.info.stdin_port,
        kk.info.control_port,
        kk.info.hb_port,
      ]) {
        await new Promise<void>((resolve, reject) => {
          const s = createServer()
            .once("error", reject)
            .listen(port, "127.0.0.1", () => s.close(() => resolve()));
        });
      }
    }
  });

  test("shutdown_request on shell works too, and SIGTERM exits cleanly", async () => {
    const a = await TestKernel.start();
    expect((await a.request("shell", "shutdown_request", { restart: false })).content.status).toBe("ok");
    expect(await a.exited).toBe(0);
    a.closeSockets();
    const b = await TestKernel.start();
    b.proc.kill("SIGTERM");
    expect(await b.exited).toBe(0);
    b.closeSockets();
  });

  test("start → kernel_info_reply is fast (no TypeScript on the critical path)", async () => {
    const kk = await TestKernel.start({ waitReady: false });
    const t = await new Promise<number>((resolve) => {
      const tick = () => {
        const id = kk.send("shell", "kernel_info_request", {});
        const timer = setTimeout(tick, 20);
        void kk
          .waitIopub((m) => m.parent_header.msg_id === id && m.content.execution_state === "idle")
          .then(
            () => {
              clearTimeout(timer);
              resolve(performance.now() - kk.startedAt);
            },
            () => undefined,
          );
      };
      tick();
    });
    await kk.shutdown();
    expect(t).toBeLessThan(2000);
    console.log(`start → kernel_info answered: ${t.toFixed(0)} ms`);
  });
});
