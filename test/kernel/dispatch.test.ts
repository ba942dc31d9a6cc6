/** The dispatcher without sockets or worker: an in-memory transport and a scripted Executor double. */
import { describe, expect, test } from "vitest";
import type { CompletionResult } from "../../src/eval/api.js";
import type { CommDelivery, ExecuteEvents, ExecuteJob, ExecuteOutcome, Executor } from "../../src/kernel/executor.js";
import type { CommFromWorker } from "../../src/kernel/worker/protocol.js";
import { HistoryStore } from "../../src/kernel/history.js";
import { Kernel } from "../../src/kernel/kernel.js";
import type { OutgoingMessage } from "../../src/wire/framing.js";
import { newHeader, type JupyterMessage } from "../../src/wire/message.js";

interface Sent {
  channel: string;
  msg: OutgoingMessage;
}

/** Runs cells by a tiny script: `print X`, `fail`, `value X`, `ask`, `wait` (until released). */
class ScriptedExecutor implements Executor {
  interrupts = 0;
  jobs: ExecuteJob[] = [];
  private release: (() => void) | undefined;
  async execute(job: ExecuteJob, events: ExecuteEvents): Promise<ExecuteOutcome> {
    this.jobs.push(job);
    const [cmd, arg] = job.code.split(" ");
    if (cmd === "print") events.stream("stdout", `${arg}\n`);
    if (cmd === "show") events.display({ "text/plain": arg }, {}, "d1");
    if (cmd === "fail")
      return { status: "error", ename: "Error", evalue: "boom", traceback: ["Error: boom"], userExpressions: {} };
    if (cmd === "ask") {
      try {
        const answer = await events.requestInput("name? ", false);
        return { status: "ok", result: { data: { "text/plain": answer }, metadata: {} }, userExpressions: {} };
      } catch (e) {
        return { status: "error", ename: "Error", evalue: (e as Error).message, traceback: [], userExpressions: {} };
      }
    }
    if (cmd === "wait") await new Promise<void>((r) => (this.release = r));
    if (cmd === "value")
      return { status: "ok", result: { data: { "text/plain": arg! }, metadata: {} }, userExpressions: {} };
    return { status: "ok", userExpressions: {} };
  }
  finishWait(): void {
    this.release?.();
  }
  async complete(_code: string, cursorPos: number): Promise<CompletionResult> {
    return {
      matches: ["max", "min"],
      cursorStart: cursorPos - 1,
      cursorEnd: cursorPos,
      types: [{ text: "max", type: "method", start: cursorPos - 1, end: cursorPos }],
    };
  }
  async inspect() {
    return { found: true, text: "max(...values: number[]): number", markdown: "`max`" };
  }
  async isComplete(code: string) {
    return code.endsWith("{") ? { status: "incomplete" as const, indent: "  " } : { status: "complete" as const };
  }
  interrupt(): void {
    this.interrupts++;
  }
  commHandler?: (event: CommFromWorker, events?: ExecuteEvents) => void;
  toCells: CommDelivery[] = [];
  commEvents: ExecuteEvents[] = [];
  onComm(handler: (event: CommFromWorker, events?: ExecuteEvents) => void): void {
    this.commHandler = handler;
  }
  async sendComm(event: CommDelivery, events: ExecuteEvents): Promise<void> {
    this.toCells.push(event);
    this.commEvents.push(events);
  }
  async whenReady(): Promise<void> {}
  async close(): Promise<boolean> {
    return true;
  }
}

function setup() {
  const sent: Sent[] = [];
  const executor = new ScriptedExecutor();
  const shutdowns: boolean[] = [];
  const logs: string[] = [];
  const kernel = new Kernel({
    transport: { send: (channel, msg) => void sent.push({ channel, msg }) },
    executor,
    session: "kernel-session",
    history: new HistoryStore(),
    onShutdown: (restart) => shutdowns.push(restart),
    log: (l) => logs.push(l),
  });
  let n = 0;
  const request = (
    channel: "shell" | "control" | "stdin",
    msgType: string,
    content: Record<string, unknown> = {},
  ): JupyterMessage => {
    const msg: JupyterMessage = {
      identities: [Buffer.from(`peer-${++n}`)],
      header: newHeader(msgType, "client-session", "tester"),
      parent_header: {},
      metadata: {},
      content,
      buffers: [],
    };
    kernel.handle(channel, msg);
    return msg;
  };
  /** Messages sent with `parent` as parent, as "channel:msg_type". */
  const trail = (parent: JupyterMessage) =>
    sent
      .filter((s) => s.msg.parent_header.msg_id === parent.header.msg_id)
      .map((s) => `${s.channel}:${s.msg.header.msg_type}`);
  const replyTo = (parent: JupyterMessage) =>
    sent.find((s) => s.msg.parent_header.msg_id === parent.header.msg_id && s.msg.header.msg_type.endsWith("_reply"))
      ?.msg;
  const settle = () => new Promise((r) => setTimeout(r, 5));
  return { sent, executor, kernel, request, trail, replyTo, settle, shutdowns, logs };
}

describe("dispatch", () => {
  test("kernel_info: busy, reply to the requester's identity, idle", async () => {
    const k = setup();
    const req = k.request("shell", "kernel_info_request");
    await k.settle();
    expect(k.trail(req)).toEqual(["iopub:status", "shell:kernel_info_reply", "iopub:status"]);
    const reply = k.replyTo(req)!;
    expect(reply.identities).toEqual(req.identities);
    const c = reply.content as Record<string, any>;
    expect(c.protocol_version).toBe("5.3");
    expect(c.implementation).toBe("deepts");
    expect(c.language_info).toMatchObject({
      name: "typescript",
      file_extension: ".ts",
      mimetype: "text/typescript",
      pygments_lexer: "typescript",
    });
    expect(reply.header.session).toBe("kernel-session");
    const states = k.sent
      .filter((s) => s.msg.header.msg_type === "status")
      .map((s) => (s.msg.content as any).execution_state);
    expect(states).toEqual(["busy", "idle"]);
  });

  test("execute: busy, execute_input, output, result, reply, idle; counts only stored, non-silent cells", async () => {
    const k = setup();
    const a = k.request("shell", "execute_request", { code: "print hi" });
    const b = k.request("shell", "execute_request", { code: "value 42" });
    const c = k.request("shell", "execute_request", { code: "value 7", silent: true });
    const d = k.request("shell", "execute_request", { code: "value 8", store_history: false });
    await k.settle();
    expect(k.trail(a)).toEqual([
      "iopub:status",
      "iopub:execute_input",
      "iopub:stream",
      "shell:execute_reply",
      "iopub:status",
    ]);
    expect(k.trail(b)).toEqual([
      "iopub:status",
      "iopub:execute_input",
      "iopub:execute_result",
      "shell:execute_reply",
      "iopub:status",
    ]);
    expect(k.trail(c)).toEqual(["iopub:status", "shell:execute_reply", "iopub:status"]);
    expect(k.trail(d)).toEqual([
      "iopub:status",
      "iopub:execute_input",
      "iopub:execute_result",
      "shell:execute_reply",
      "iopub:status",
    ]);
    expect((k.replyTo(a)!.content as any).execution_count).toBe(1);
    expect((k.replyTo(b)!.content as any).execution_count).toBe(2);
    expect((k.replyTo(c)!.content as any).execution_count).toBe(2);
    expect((k.replyTo(d)!.content as any).execution_count).toBe(2);
    const result = k.sent.find(
      (s) => s.msg.header.msg_type === "execute_result" && s.msg.parent_header.msg_id === b.header.msg_id,
    )!;
    expect(result.msg.content).toEqual({ execution_count: 2, data: { "text/plain": "42" }, metadata: {} });
    expect(k.executor.jobs.map((j) => j.executionCount)).toEqual([1, 2, 2, 2]);
  });

  test("stop_on_error aborts the executes queued behind an error, then runs again", async () => {
    const k = setup();
    const bad = k.request("shell", "execute_request", { code: "fail" });
    const queued1 = k.request("shell", "execute_request", { code: "print a" });
    const queued2 = k.request("shell", "execute_request", { code: "print b" });
    await k.settle();
    expect((k.replyTo(bad)!.content as any).status).toBe("error");
    expect(k.trail(bad)).toContain("iopub:error");
    expect((k.replyTo(queued1)!.content as any).status).toBe("aborted");
    expect((k.replyTo(queued2)!.content as any).status).toBe("aborted");
    expect(k.executor.jobs.map((j) => j.code)).toEqual(["fail"]);
    const later = k.request("shell", "execute_request", { code: "print c" });
    await k.settle();
    expect((k.replyTo(later)!.content as any).status).toBe("ok");
  });

  test("stop_on_error false keeps going", async () => {
    const k = setup();
    k.request("shell", "execute_request", { code: "fail", stop_on_error: false });
    const next = k.request("shell", "execute_request", { code: "print a" });
    await k.settle();
    expect((k.replyTo(next)!.content as any).status).toBe("ok");
  });

  test("control answers while a shell request is running; interrupt reaches the executor", async () => {
    const k = setup();
    const running = k.request("shell", "execute_request", { code: "wait" });
    const queuedInfo = k.request("shell", "complete_request", { code: "Math.m", cursor_pos: 6 });
    const info = k.request("control", "kernel_info_request");
    const interrupt = k.request("control", "interrupt_request");
    await k.settle();
    expect(k.replyTo(info)).toBeDefined();
    expect((k.replyTo(interrupt)!.content as any).status).toBe("ok");
    expect(k.executor.interrupts).toBe(1);
    expect(k.replyTo(running)).toBeUndefined();
    expect(k.replyTo(queuedInfo)).toBeUndefined();
    k.executor.finishWait();
    await k.settle();
    expect(k.replyTo(running)).toBeDefined();
    const complete = k.replyTo(queuedInfo)!.content as any;
    expect(complete).toMatchObject({ status: "ok", matches: ["max", "min"], cursor_start: 5, cursor_end: 6 });
    expect(complete.metadata._jupyter_types_experimental).toEqual([
      { text: "max", type: "method", start: 5, end: 6, signature: "" },
    ]);
  });

  test("inspect and is_complete replies", async () => {
    const k = setup();
    const inspect = k.request("shell", "inspect_request", { code: "Math.max", cursor_pos: 8, detail_level: 0 });
    const incomplete = k.request("shell", "is_complete_request", { code: "if (x) {" });
    const complete = k.request("shell", "is_complete_request", { code: "x" });
    await k.settle();
    expect(k.replyTo(inspect)!.content).toEqual({
      status: "ok",
      found: true,
      data: { "text/plain": "max(...values: number[]): number", "text/markdown": "`max`" },
      metadata: {},
    });
    expect(k.replyTo(incomplete)!.content).toEqual({ status: "incomplete", indent: "  " });
    expect(k.replyTo(complete)!.content).toEqual({ status: "complete" });
  });

  test("input: input_request on stdin to the requester, answered by input_reply; refused without allow_stdin", async () => {
    const k = setup();
    const refused = k.request("shell", "execute_request", { code: "ask", allow_stdin: false });
    await k.settle();
    expect((k.replyTo(refused)!.content as any).evalue).toMatch(/allow_stdin is false/);
    const asking = k.request("shell", "execute_request", { code: "ask", allow_stdin: true });
    await k.settle();
    const inputRequest = k.sent.find((s) => s.channel === "stdin")!;
    expect(inputRequest.msg.header.msg_type).toBe("input_request");
    expect(inputRequest.msg.content).toEqual({ prompt: "name? ", password: false });
    expect(inputRequest.msg.identities).toEqual(asking.identities);
    expect(inputRequest.msg.parent_header.msg_id).toBe(asking.header.msg_id);
    k.request("stdin", "input_reply", { value: "Ada" });
    await k.settle();
    expect(k.replyTo(asking)!.content).toMatchObject({ status: "ok" });
    const result = k.sent.find(
      (s) => s.msg.header.msg_type === "execute_result" && s.msg.parent_header.msg_id === asking.header.msg_id,
    )!;
    expect((result.msg.content as any).data["text/plain"]).toBe("Ada");
  });

  test("an interrupt cancels a pending input request", async () => {
    const k = setup();
    const asking = k.request("shell", "execute_request", { code: "ask", allow_stdin: true });
    await k.settle();
    k.request("control", "interrupt_request");
    await k.settle();
    expect((k.replyTo(asking)!.content as any).evalue).toMatch(/interrupted/);
  });

  test("history: tail, range, search (glob, unique, n), with output", async () => {
    const k = setup();
    for (const code of ["value 1", "value 2", "value 1", "print x"]) k.request("shell", "execute_request", { code });
    await k.settle();
    const tail = k.request("shell", "history_request", { hist_access_type: "tail", n: 2, output: false, raw: true });
    const range = k.request("shell", "history_request", {
      hist_access_type: "range",
      session: 0,
      start: 2,
      stop: 4,
      output: true,
      raw: true,
    });
    const search = k.request("shell", "history_request", {
      hist_access_type: "search",
      pattern: "value*",
      output: false,
      raw: true,
    });
    const unique = k.request("shell", "history_request", {
      hist_access_type: "search",
      pattern: "value*",
      unique: true,
      output: false,
      raw: true,
    });
    const lastOne = k.request("shell", "history_request", {
      hist_access_type: "search",
      pattern: "value ?",
      n: 1,
      output: false,
      raw: true,
    });
    await k.settle();
    const h = (m: JupyterMessage) => (k.replyTo(m)!.content as any).history;
    expect(h(tail)).toEqual([
      [1, 3, "value 1"],
      [1, 4, "print x"],
    ]);
    expect(h(range)).toEqual([
      [1, 2, ["value 2", "2"]],
      [1, 3, ["value 1", "1"]],
    ]);
    expect(h(search).map((r: any[]) => r[2])).toEqual(["value 1", "value 2", "value 1"]);
    expect(h(unique).map((r: any[]) => r[1])).toEqual([2, 3]);
    expect(h(lastOne)).toEqual([[1, 3, "value 1"]]);
  });

  test("comms: unknown target is closed back; a registered target gets messages; comm_info lists open comms", async () => {
    const k = setup();
    const unknown = k.request("shell", "comm_open", { comm_id: "c1", target_name: "nope", data: {} });
    await k.settle();
    const close = k.sent.find((s) => s.msg.header.msg_type === "comm_close")!;
    expect(close.channel).toBe("iopub");
    expect(close.msg.content).toEqual({ comm_id: "c1", data: {} });
    expect(close.msg.parent_header.msg_id).toBe(unknown.header.msg_id);

    k.kernel.comms.registerTarget("echo", (comm) => {
      comm.onMessage = (data) => comm.send({ echo: data });
    });
    k.request("shell", "comm_open", { comm_id: "c2", target_name: "echo", data: {} });
    k.request("shell", "comm_msg", { comm_id: "c2", data: { x: 1 } });
    const info = k.request("shell", "comm_info_request", {});
    const filtered = k.request("shell", "comm_info_request", { target_name: "other" });
    await k.settle();
    const echo = k.sent.find((s) => s.msg.header.msg_type === "comm_msg")!;
    expect(echo.msg.content).toEqual({ comm_id: "c2", data: { echo: { x: 1 } } });
    expect((k.replyTo(info)!.content as any).comms).toEqual({ c2: { target_name: "echo" } });
    expect((k.replyTo(filtered)!.content as any).comms).toEqual({});
    k.request("shell", "comm_close", { comm_id: "c2", data: {} });
    const after = k.request("shell", "comm_info_request", {});
    await k.settle();
    expect((k.replyTo(after)!.content as any).comms).toEqual({});
  });

  test("comms of cell code: targets, forwarded messages, kernel-opened comms, reset when the worker is replaced", async () => {
    const k = setup();
    const fromCells = k.executor.commHandler!;
    fromCells({ kind: "comm-target", targetName: "cells.echo", registered: true });
    k.request("shell", "comm_open", { comm_id: "f1", target_name: "cells.echo", data: { a: 1 } });
    const msg = k.request("shell", "comm_msg", { comm_id: "f1", data: { b: 2 } });
    await k.settle();
    expect(k.executor.toCells).toEqual([
      { kind: "comm-open", commId: "f1", targetName: "cells.echo", data: { a: 1 }, metadata: {}, buffers: [] },
      { kind: "comm-msg", commId: "f1", data: { b: 2 }, buffers: [] },
    ]);
    // Output of a comm handler is parented to its comm message.
    k.executor.commEvents[1]!.stream("stdout", "from handler\n");
    const out = k.sent.find((s) => s.msg.header.msg_type === "stream")!;
    expect(out.msg.parent_header.msg_id).toBe(msg.header.msg_id);
    fromCells({
      kind: "comm-open",
      id: 0,
      commId: "k1",
      targetName: "frontend.t",
      data: { c: 3 },
      metadata: { version: "2.1.0" },
      buffers: [],
    });
    fromCells({ kind: "comm-msg", id: 0, commId: "k1", data: { d: 4 }, buffers: [new Uint8Array([9])] });
    const iopub = (type: string) =>
      k.sent.filter((s) => s.channel === "iopub" && s.msg.header.msg_type === type).map((s) => s.msg);
    expect(iopub("comm_open")[0]!.content).toEqual({
      comm_id: "k1",
      target_name: "frontend.t",
      data: { c: 3 },
      target_module: null,
    });
    expect(iopub("comm_open")[0]!.metadata).toEqual({ version: "2.1.0" });
    expect(iopub("comm_msg")[0]!.content).toEqual({ comm_id: "k1", data: { d: 4 } });
    expect(iopub("comm_msg")[0]!.buffers).toEqual([Buffer.from([9])]);

    fromCells({ kind: "comm-reset" });
    expect(
      iopub("comm_close")
        .map((m) => (m.content as { comm_id: string }).comm_id)
        .sort(),
    ).toEqual(["f1", "k1"]);
    k.request("shell", "comm_open", { comm_id: "f2", target_name: "cells.echo", data: {} });
    await k.settle();
    expect(iopub("comm_close").map((m) => (m.content as { comm_id: string }).comm_id)).toContain("f2");
  });

  test("comm messages are handled while a cell runs, each between its own busy and idle", async () => {
    const k = setup();
    k.executor.commHandler!({ kind: "comm-target", targetName: "cells.t", registered: true });
    const cell = k.request("shell", "execute_request", { code: "wait" });
    await k.settle();
    const open = k.request("shell", "comm_open", { comm_id: "c9", target_name: "cells.t", data: {} });
    await k.settle();
    expect(k.executor.toCells.map((e) => e.kind)).toEqual(["comm-open"]);
    const statuses = k.sent
      .filter((s) => s.msg.header.msg_type === "status")
      .map((s) => [s.msg.parent_header.msg_id, (s.msg.content as { execution_state: string }).execution_state]);
    expect(statuses).toEqual([
      [cell.header.msg_id, "busy"],
      [open.header.msg_id, "busy"],
      [open.header.msg_id, "idle"],
      [cell.header.msg_id, "busy"],
    ]);
    k.executor.finishWait();
    await k.settle();
    expect(k.replyTo(cell)!.content).toMatchObject({ status: "ok" });
  });

  test("shutdown replies with restart flag and then calls onShutdown", async () => {
    const k = setup();
    const req = k.request("control", "shutdown_request", { restart: true });
    await k.settle();
    expect(k.replyTo(req)!.content).toEqual({ status: "ok", restart: true });
    expect(k.shutdowns).toEqual([true]);
  });

  test("unknown message types are logged and ignored", async () => {
    const k = setup();
    const req = k.request("shell", "frobnicate_request");
    await k.settle();
    expect(k.trail(req)).toEqual([]);
    expect(k.logs.join("\n")).toMatch(/unknown message type "frobnicate_request"/);
  });

  test("`name?` answers with a pager payload from inspect, without running the cell", async () => {
    const k = setup();
    const req = k.request("shell", "execute_request", { code: "Math.max??" });
    await k.settle();
    expect(k.replyTo(req)!.content).toEqual({
      status: "ok",
      execution_count: 1,
      payload: [
        {
          source: "page",
          data: { "text/plain": "max(...values: number[]): number", "text/markdown": "`max`" },
          start: 0,
        },
      ],
      user_expressions: {},
    });
    expect(k.executor.jobs).toEqual([]);
  });

  test("display_data carries the display id in transient", async () => {
    const k = setup();
    const req = k.request("shell", "execute_request", { code: "show plot" });
    await k.settle();
    const d = k.sent.find(
      (s) => s.msg.header.msg_type === "display_data" && s.msg.parent_header.msg_id === req.header.msg_id,
    )!;
    expect(d.msg.content).toEqual({ data: { "text/plain": "plot" }, metadata: {}, transient: { display_id: "d1" } });
  });

  test("every request with wrongly typed fields gets an error reply naming the field; nothing runs", async () => {
    const k = setup();
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ["execute_request", { code: 42 }, /"code" must be a string, got the integer 42/],
      ["execute_request", {}, /"code" is missing/],
      ["execute_request", { code: "value 1", silent: "yes" }, /"silent" must be a boolean/],
      [
        "execute_request",
        { code: "value 1", user_expressions: { a: 1 } },
        /"user_expressions" must be an object of strings/,
      ],
      ["complete_request", { code: "x", cursor_pos: -1 }, /"cursor_pos" must be at least 0/],
      ["inspect_request", { code: "x", cursor_pos: 1, detail_level: 2 }, /"detail_level" must be one of 0, 1/],
      ["is_complete_request", { code: ["x"] }, /"code" must be a string, got an array/],
      ["history_request", { hist_access_type: "search", pattern: 5 }, /"pattern" must be a string, got the integer 5/],
      [
        "history_request",
        { hist_access_type: "sideways" },
        /"hist_access_type" must be one of "range", "tail", "search"/,
      ],
      ["comm_info_request", { target_name: {} }, /"target_name" must be a string, got an object/],
      ["shutdown_request", { restart: "please" }, /"restart" must be a boolean/],
    ];
    for (const [type, content, message] of cases) {
      const req = k.request(type.startsWith("shutdown") ? "control" : "shell", type, content);
      await k.settle();
      const reply = k.replyTo(req);
      expect(reply?.header.msg_type, `${type} ${JSON.stringify(content)}`).toBe(type.replace(/_request$/, "_reply"));
      expect(reply!.content).toMatchObject({
        status: "error",
        ename: "InvalidRequest",
        evalue: expect.stringMatching(message),
      });
      expect(k.trail(req).at(-1)).toBe("iopub:status");
    }
    expect(k.executor.jobs).toEqual([]);
    expect(k.shutdowns).toEqual([]);
    // null counts as absent for optional fields (jupyter_client sends n: null).
    const ok = k.request("shell", "history_request", { hist_access_type: "tail", n: null, output: false });
    await k.settle();
    expect(k.replyTo(ok)!.content).toMatchObject({ status: "ok" });
  });

  test("an execute_request with a wrong field is answered with its execution count; comm traffic with wrong fields is dropped", async () => {
    const k = setup();
    const req = k.request("shell", "execute_request", { code: "value 1", stop_on_error: 0 });
    await k.settle();
    expect(k.replyTo(req)!.content).toMatchObject({ status: "error", execution_count: 0, user_expressions: {} });
    const comm = k.request("shell", "comm_msg", { comm_id: 7, data: {} });
    await k.settle();
    expect(k.trail(comm)).toEqual([]);
    expect(k.logs.at(-1)).toMatch(/ignoring comm_msg on shell: comm_msg: "comm_id" must be a string/);
  });

  test("a request whose handler fails still gets a reply", async () => {
    const k = setup();
    k.executor.isComplete = async () => {
      throw new Error("language service broke");
    };
    k.executor.complete = async () => {
      throw new Error("completion broke");
    };
    const a = k.request("shell", "complete_request", { code: "x", cursor_pos: 1 });
    await k.settle();
    expect(k.replyTo(a)!.content).toMatchObject({ status: "error", evalue: "completion broke" });
    const history = k.kernel.history;
    history.query = () => {
      throw new TypeError("corrupt history");
    };
    const b = k.request("shell", "history_request", { hist_access_type: "tail", n: 3 });
    await k.settle();
    expect(k.replyTo(b)!.content).toMatchObject({ status: "error", ename: "TypeError", evalue: "corrupt history" });
  });
});
