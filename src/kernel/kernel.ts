/**
 * The transport-free kernel: dispatches Jupyter requests by msg_type, keeps the execution queue,
 * publishes status/outputs, and talks to an Executor. The ZeroMQ side lives in `start.ts`.
 */
import { newHeader, type JupyterMessage, type MessageHeader } from "../wire/message.js";
import type { OutgoingMessage } from "../wire/framing.js";
import type { MessageChannel } from "../wire/sockets.js";
import { Comm, CommRegistry } from "./comms.js";
import type { Executor, ExecuteEvents } from "./executor.js";
import type { CommFromWorker, ExecuteOutcome } from "./worker/protocol.js";
import { HistoryStore, type HistoryQuery } from "./history.js";
import { kernelInfo } from "./kernel-info.js";
import { requestProblem } from "./request-fields.js";

export interface KernelTransport {
  send(channel: MessageChannel, message: OutgoingMessage): void | Promise<void>;
}

export interface KernelOptions {
  transport: KernelTransport;
  executor: Executor;
  /** Session id used in every header this kernel sends. */
  session: string;
  history?: HistoryStore;
  comms?: CommRegistry;
  /** Called after the shutdown_reply was sent. */
  onShutdown?(restart: boolean): void;
  log?(line: string): void;
}

/** The error a request with wrongly typed fields is answered with. */
class InvalidRequestError extends Error {
  override name = "InvalidRequest";
}

/** `execute_request` → `execute_reply`. */
const replyType = (requestType: string) => requestType.replace(/_request$/, "_reply");

/** A cell that is only `name?` or `name??` asks for help on `name`. */
const HELP_SYNTAX = /^\s*([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)\s*(\?\??)\s*$/;

type Handler = (msg: JupyterMessage, channel: MessageChannel) => Promise<void> | void;

interface PendingInput {
  resolve(value: string): void;
  reject(error: Error): void;
}

/**
 * Dispatches requests. Shell requests run one at a time in arrival order (kernel_info is answered at once);
 * control requests are answered immediately, even while a cell runs.
 *
 * ```ts
 * const kernel = new Kernel({ transport, executor, session: randomUUID() });
 * kernel.handle("shell", message);
 * ```
 */
export class Kernel {
  executionCount = 0;
  readonly history: HistoryStore;
  readonly comms: CommRegistry;
  private readonly queue: JupyterMessage[] = [];
  private draining = false;
  /** Execute requests queued behind a failed cell (stop_on_error); they are answered "aborted". */
  private readonly toAbort = new Set<string>();
  private shuttingDown = false;
  private pendingInput: PendingInput | undefined;
  private readonly handlers: Record<string, Handler> = {
    kernel_info_request: (m, ch) => this.reply(m, ch, "kernel_info_reply", kernelInfo()),
    connect_request: (m, ch) => this.connectReply(m, ch),
    execute_request: (m, ch) => this.execute(m, ch),
    complete_request: (m, ch) => this.complete(m, ch),
    inspect_request: (m, ch) => this.inspect(m, ch),
    is_complete_request: (m, ch) => this.isComplete(m, ch),
    history_request: (m, ch) =>
      this.reply(m, ch, "history_reply", { status: "ok", history: this.history.query(m.content as HistoryQuery) }),
    comm_info_request: (m, ch) =>
      this.reply(m, ch, "comm_info_reply", {
        status: "ok",
        comms: this.comms.info(m.content.target_name as string | undefined),
      }),
    comm_open: (m) => this.commOpen(m),
    comm_msg: (m) => this.commMsg(m),
    comm_close: (m) => this.commClose(m),
    shutdown_request: (m, ch) => this.shutdown(m, ch),
    interrupt_request: (m, ch) => {
      this.interrupt();
      return this.reply(m, ch, "interrupt_reply", { status: "ok" });
    },
  };

  /** Requests already answered (so that a failing handler is not answered twice). */
  private readonly replied = new WeakSet<JupyterMessage>();
  /** Comm targets registered by cell code (dropped when the worker is replaced). */
  private readonly cellTargets = new Set<string>();
  /** Parent of messages the kernel sends on its own (comm traffic from cells): the latest request. */
  private lastParent: Partial<MessageHeader> = {};
  /** comm_opens still waiting for the executor to start: messages to those comms wait for them. */
  private readonly opening = new Map<string, Promise<void>>();
  /** The execute request running now (its busy status is restored after a comm message's idle). */
  private executing: Partial<MessageHeader> | undefined;

  constructor(private readonly options: KernelOptions) {
    this.history = options.history ?? new HistoryStore();
    this.comms = options.comms ?? new CommRegistry();
    options.executor.onComm?.((event, events) => this.fromCellComm(event, events));
  }

  /** Accepts one verified message from a channel. */
  handle(channel: MessageChannel, msg: JupyterMessage): void {
    const type = msg.header.msg_type;
    const problem = requestProblem(type, msg.content);
    if (problem && type.startsWith("comm_") && !type.endsWith("_request")) {
      // Comm traffic has no reply: say so in the log only.
      this.log(`ignoring ${type} on ${channel}: ${problem}`);
      return;
    }
    if (channel === "stdin") {
      if (type === "input_reply") this.inputReply(msg);
      else this.log(`ignoring ${type} on stdin`);
      return;
    }
    if (!(type in this.handlers)) {
      this.log(`unknown message type ${JSON.stringify(type)} on ${channel}; ignored`);
      return;
    }
    if (channel === "control" || type === "kernel_info_request") {
      void this.run(msg, channel);
      return;
    }
    // Comm messages are not queued behind running cells: a Stop button must work during `fit`.
    if (type === "comm_open" || type === "comm_msg" || type === "comm_close") {
      void this.runComm(msg);
      return;
    }
    this.queue.push(msg);
    if (!this.draining) void this.drain();
  }

  /** Interrupts the running cell and any pending input request (SIGINT and interrupt_request). */
  interrupt(): void {
    this.options.executor.interrupt();
    const pending = this.pendingInput;
    this.pendingInput = undefined;
    pending?.reject(new Error("interrupted while waiting for input"));
  }

  private async drain(): Promise<void> {
    this.draining = true;
    while (this.queue.length > 0 && !this.shuttingDown) {
      await this.run(this.queue.shift()!, "shell");
    }
    this.toAbort.clear();
    this.draining = false;
  }

  /**
   * Runs one request between busy and idle status messages. Every request gets its reply: one with
   * wrongly typed fields, or whose handler fails, gets an error reply.
   */
  private async run(msg: JupyterMessage, channel: MessageChannel): Promise<void> {
    const type = msg.header.msg_type;
    this.lastParent = msg.header;
    this.publish("status", { execution_state: "busy" }, msg.header);
    try {
      const problem = requestProblem(type, msg.content);
      if (problem) {
        this.log(`answering a malformed ${type} with an error: ${problem}`);
        await this.replyError(msg, channel, replyType(type), new InvalidRequestError(problem));
      } else await this.handlers[type]!(msg, channel);
    } catch (e) {
      this.log(`error handling ${type}: ${(e as Error).stack ?? e}`);
      if (type.endsWith("_request") && !this.replied.has(msg)) await this.replyError(msg, channel, replyType(type), e);
    } finally {
      this.publish("status", { execution_state: "idle" }, msg.header);
    }
  }

  /**
   * Handles a comm message at once, between its own busy and idle (a widget frontend sends the next
   * update of a model when the previous one's idle arrives); during a cell the cell's busy is
   * published again after it, so status stays busy.
   */
  private async runComm(msg: JupyterMessage): Promise<void> {
    this.publish("status", { execution_state: "busy" }, msg.header);
    try {
      await this.handlers[msg.header.msg_type]!(msg, "shell");
    } catch (e) {
      this.log(`error handling ${msg.header.msg_type}: ${(e as Error).stack ?? e}`);
    } finally {
      this.publish("status", { execution_state: "idle" }, msg.header);
      if (this.executing) this.publish("status", { execution_state: "busy" }, this.executing);
    }
  }

  /** Client `identity` (a ZeroMQ routing id) disconnected: closes the comms it opened. */
  clientGone(identity: Buffer): void {
    const owner = identity.toString("hex");
    for (const comm of this.comms.filter((c) => c.owner === owner)) {
      this.log(`closing comm ${comm.id} (${comm.targetName}): the client that opened it disconnected`);
      this.comms.remove(comm.id);
      if (comm.ofCells)
        void this.options.executor.sendComm?.({ kind: "comm-close", commId: comm.id, data: {} }, this.commEvents({}));
      else comm.onClose?.({});
      comm.close();
    }
  }

  private send(
    channel: MessageChannel,
    msgType: string,
    content: unknown,
    parent: Partial<MessageHeader>,
    identities?: Buffer[],
    buffers?: Buffer[],
    metadata: Record<string, unknown> = {},
  ): void | Promise<void> {
    const header = newHeader(msgType, this.options.session, "kernel");
    return this.options.transport.send(channel, {
      identities,
      header,
      parent_header: parent,
      metadata,
      content,
      buffers,
    });
  }

  private publish(
    msgType: string,
    content: unknown,
    parent: Partial<MessageHeader>,
    buffers?: Buffer[],
    metadata?: Record<string, unknown>,
  ): void {
    void this.send(
      "iopub",
      msgType,
      content,
      parent,
      [Buffer.from(`kernel.${this.options.session}.${msgType}`)],
      buffers,
      metadata,
    );
  }

  private reply(msg: JupyterMessage, channel: MessageChannel, msgType: string, content: unknown): void | Promise<void> {
    this.replied.add(msg);
    return this.send(channel, msgType, content, msg.header, msg.identities);
  }

  private log(line: string): void {
    (this.options.log ?? ((l) => process.stderr.write(`deepts: ${l}\n`)))(line);
  }

  private connectReply(msg: JupyterMessage, channel: MessageChannel): void | Promise<void> {
    return this.reply(msg, channel, "connect_reply", { status: "ok" });
  }

  private async execute(msg: JupyterMessage, channel: MessageChannel): Promise<void> {
    const c = msg.content;
    const code = typeof c.code === "string" ? c.code : "";
    const silent = c.silent === true;
    const storeHistory = !silent && c.store_history !== false;
    const stopOnError = c.stop_on_error !== false;
    if (this.toAbort.has(msg.header.msg_id)) {
      await this.reply(msg, channel, "execute_reply", { status: "aborted", execution_count: this.executionCount });
      return;
    }
    if (storeHistory) this.executionCount++;
    const count = this.executionCount;
    if (!silent) this.publish("execute_input", { code, execution_count: count }, msg.header);

    const help = HELP_SYNTAX.exec(code);
    if (help) {
      await this.pageHelp(msg, channel, help[1]!, help[2]!.length > 1 ? 1 : 0, count);
      if (storeHistory) this.history.add(count, code, null);
      return;
    }

    const userExpressions: Record<string, string> = {};
    if (c.user_expressions && typeof c.user_expressions === "object") {
      for (const [k, v] of Object.entries(c.user_expressions)) if (typeof v === "string") userExpressions[k] = v;
    }
    const allowStdin = c.allow_stdin === true;
    this.executing = msg.header;
    let outcome: ExecuteOutcome;
    try {
      outcome = await this.options.executor.execute(
        { code, executionCount: count, silent, allowStdin, userExpressions },
        this.eventsFor(msg, allowStdin),
      );
    } finally {
      this.executing = undefined;
    }
    let outputText: string | null = null;
    if (outcome.status === "ok") {
      if (outcome.result && !silent) {
        this.publish(
          "execute_result",
          { execution_count: count, data: outcome.result.data, metadata: outcome.result.metadata },
          msg.header,
        );
        const plain = outcome.result.data["text/plain"];
        outputText = typeof plain === "string" ? plain : null;
      }
    } else {
      this.publish("error", { ename: outcome.ename, evalue: outcome.evalue, traceback: outcome.traceback }, msg.header);
      if (stopOnError && !silent) {
        // Let requests already received by the socket reach the queue, then abort every execute queued
        // before the client could have seen this error; later ones run normally.
        await new Promise((r) => setImmediate(r));
        for (const queued of this.queue)
          if (queued.header.msg_type === "execute_request") this.toAbort.add(queued.header.msg_id);
      }
    }
    if (storeHistory) this.history.add(count, code, outputText);
    const content =
      outcome.status === "ok"
        ? { status: "ok", execution_count: count, payload: [], user_expressions: outcome.userExpressions }
        : {
            status: "error",
            execution_count: count,
            ename: outcome.ename,
            evalue: outcome.evalue,
            traceback: outcome.traceback,
            user_expressions: outcome.userExpressions,
          };
    await this.reply(msg, channel, "execute_reply", content);
  }

  /** `name?` / `name??`: shows the inspection of `name` in the pager (as IPython does). */
  private async pageHelp(
    msg: JupyterMessage,
    channel: MessageChannel,
    name: string,
    detail: 0 | 1,
    count: number,
  ): Promise<void> {
    let payload: unknown[] = [];
    try {
      const r = await this.options.executor.inspect(name, name.length, detail);
      if (r.found)
        payload = [{ source: "page", data: { "text/plain": r.text, "text/markdown": r.markdown }, start: 0 }];
      else this.publish("stream", { name: "stderr", text: `No documentation found for ${name}\n` }, msg.header);
    } catch (e) {
      this.publish(
        "stream",
        { name: "stderr", text: `Help for ${name} failed: ${(e as Error).message}\n` },
        msg.header,
      );
    }
    await this.reply(msg, channel, "execute_reply", {
      status: "ok",
      execution_count: count,
      payload,
      user_expressions: {},
    });
  }

  private eventsFor(msg: JupyterMessage, allowStdin: boolean): ExecuteEvents {
    const parent = msg.header;
    return {
      ...this.commEvents(parent),
      requestInput: (prompt, password) => {
        if (!allowStdin) return Promise.reject(new Error("this frontend does not accept input (allow_stdin is false)"));
        this.pendingInput?.reject(new Error("superseded by a newer input request"));
        return new Promise<string>((resolve, reject) => {
          this.pendingInput = { resolve, reject };
          void this.send("stdin", "input_request", { prompt, password }, parent, msg.identities);
        });
      },
    };
  }

  /** Output and comm traffic parented to `parent` (a cell's request, or a comm message being handled); no input. */
  private commEvents(parent: Partial<MessageHeader>): ExecuteEvents {
    return {
      stream: (name, text) => this.publish("stream", { name, text }, parent),
      display: (data, metadata, displayId) =>
        this.publish(
          "display_data",
          { data, metadata, transient: displayId === undefined ? {} : { display_id: displayId } },
          parent,
        ),
      updateDisplay: (displayId, data, metadata) =>
        this.publish("update_display_data", { data, metadata, transient: { display_id: displayId } }, parent),
      clearOutput: (wait) => this.publish("clear_output", { wait }, parent),
      requestInput: () => Promise.reject(new Error("input is not available while handling a widget or comm message")),
      comm: (msgType, content, buffers, metadata) => this.publish(msgType, content, parent, buffers, metadata),
    };
  }

  private inputReply(msg: JupyterMessage): void {
    const pending = this.pendingInput;
    if (!pending) {
      this.log("input_reply without a pending input_request; ignored");
      return;
    }
    this.pendingInput = undefined;
    const value = msg.content.value;
    if (typeof value === "string") pending.resolve(value);
    else pending.reject(new Error("input_reply has no string value"));
  }

  private async complete(msg: JupyterMessage, channel: MessageChannel): Promise<void> {
    const code = String(msg.content.code ?? "");
    const cursorPos = typeof msg.content.cursor_pos === "number" ? msg.content.cursor_pos : code.length;
    try {
      const r = await this.options.executor.complete(code, cursorPos);
      const types = (r.types ?? []).map((t) => ({
        start: t.start,
        end: t.end,
        text: t.text,
        type: t.type,
        signature: t.signature ?? "",
      }));
      await this.reply(msg, channel, "complete_reply", {
        status: "ok",
        matches: r.matches,
        cursor_start: r.cursorStart,
        cursor_end: r.cursorEnd,
        metadata: { _jupyter_types_experimental: types },
      });
    } catch (e) {
      await this.replyError(msg, channel, "complete_reply", e);
    }
  }

  private async inspect(msg: JupyterMessage, channel: MessageChannel): Promise<void> {
    const code = String(msg.content.code ?? "");
    const cursorPos = typeof msg.content.cursor_pos === "number" ? msg.content.cursor_pos : code.length;
    const detail = msg.content.detail_level === 1 ? 1 : 0;
    try {
      const r = await this.options.executor.inspect(code, cursorPos, detail);
      const data = r.found ? { "text/plain": r.text, "text/markdown": r.markdown } : {};
      await this.reply(msg, channel, "inspect_reply", { status: "ok", found: r.found, data, metadata: {} });
    } catch (e) {
      await this.replyError(msg, channel, "inspect_reply", e);
    }
  }

  private async isComplete(msg: JupyterMessage, channel: MessageChannel): Promise<void> {
    try {
      const r = await this.options.executor.isComplete(String(msg.content.code ?? ""));
      await this.reply(
        msg,
        channel,
        "is_complete_reply",
        r.status === "incomplete" ? { status: r.status, indent: r.indent ?? "" } : { status: r.status },
      );
    } catch (e) {
      this.log(`is_complete failed: ${(e as Error).message}`);
      await this.reply(msg, channel, "is_complete_reply", { status: "unknown" });
    }
  }

  private replyError(msg: JupyterMessage, channel: MessageChannel, msgType: string, e: unknown): void | Promise<void> {
    const err = e instanceof Error ? e : new Error(String(e));
    const content: Record<string, unknown> = { status: "error", ename: err.name, evalue: err.message, traceback: [] };
    if (msgType === "execute_reply")
      Object.assign(content, { execution_count: this.executionCount, user_expressions: {} });
    return this.reply(msg, channel, msgType, content);
  }

  private commOpen(msg: JupyterMessage): Promise<void> {
    const id = String(msg.content.comm_id ?? "");
    const opened = this.openComm(msg, id).finally(() => {
      if (this.opening.get(id) === opened) this.opening.delete(id);
    });
    this.opening.set(id, opened);
    return opened;
  }

  private async openComm(msg: JupyterMessage, id: string): Promise<void> {
    const target = String(msg.content.target_name ?? "");
    const sender = {
      send: (msgType: "comm_msg" | "comm_close", content: Record<string, unknown>, buffers?: Buffer[]) =>
        this.publish(msgType, content, msg.header, buffers),
    };
    const owner = msg.identities?.[0]?.toString("hex");
    if (this.comms.hasTarget(target)) {
      const comm = this.comms.open(id, target, msg.content.data, msg.buffers, sender);
      if (comm) comm.owner = owner;
      return;
    }
    // Targets of cell code are known once the executor has started (a frontend may ask before that).
    if (!this.cellTargets.has(target)) await this.options.executor.whenReady?.();
    const executor = this.options.executor;
    if (!this.cellTargets.has(target) || !executor.sendComm) {
      this.log(`comm_open for unknown target ${JSON.stringify(target)}; closing it`);
      this.publish("comm_close", { comm_id: id, data: {} }, msg.header);
      return;
    }
    const comm = new Comm(id, target, sender);
    comm.owner = owner;
    comm.ofCells = true;
    this.comms.add(comm);
    const metadata = (msg.metadata ?? {}) as Record<string, unknown>;
    await executor.sendComm(
      { kind: "comm-open", commId: id, targetName: target, data: msg.content.data, metadata, buffers: msg.buffers },
      this.commEvents(msg.header),
    );
  }

  private async commMsg(msg: JupyterMessage): Promise<void> {
    const opening = this.opening.get(String(msg.content.comm_id ?? ""));
    if (opening) await opening;
    const comm = this.comms.get(String(msg.content.comm_id ?? ""));
    if (!comm) {
      this.log(`comm_msg for unknown comm ${JSON.stringify(msg.content.comm_id)}; ignored`);
      return;
    }
    if (comm.ofCells)
      await this.options.executor.sendComm?.(
        { kind: "comm-msg", commId: comm.id, data: msg.content.data, buffers: msg.buffers },
        this.commEvents(msg.header),
      );
    else comm.onMessage?.(msg.content.data, msg.buffers);
  }

  private async commClose(msg: JupyterMessage): Promise<void> {
    const id = String(msg.content.comm_id ?? "");
    const opening = this.opening.get(id);
    if (opening) await opening;
    const comm = this.comms.get(id);
    if (!comm) return;
    if (!comm.ofCells) {
      this.comms.closedByFrontend(id, msg.content.data);
      return;
    }
    this.comms.remove(id);
    comm.closed = true;
    await this.options.executor.sendComm?.(
      { kind: "comm-close", commId: id, data: msg.content.data },
      this.commEvents(msg.header),
    );
  }

  /** Comm traffic started by cell code: targets it offers, comms it opens, messages it sends. */
  private fromCellComm(event: CommFromWorker, events?: ExecuteEvents): void {
    const publish = (
      msgType: "comm_open" | "comm_msg" | "comm_close",
      content: Record<string, unknown>,
      buffers?: Buffer[],
      metadata?: Record<string, unknown>,
    ) =>
      events?.comm
        ? events.comm(msgType, content, buffers, metadata)
        : this.publish(msgType, content, this.lastParent, buffers, metadata);
    const toBuffers = (bs: Uint8Array[] | undefined) =>
      (bs ?? []).map((b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength));
    switch (event.kind) {
      case "comm-reset": {
        this.cellTargets.clear();
        for (const comm of this.comms.filter((c) => c.ofCells)) {
          this.comms.remove(comm.id);
          comm.close();
        }
        return;
      }
      case "comm-target":
        if (event.registered) this.cellTargets.add(event.targetName);
        else this.cellTargets.delete(event.targetName);
        return;
      case "comm-open": {
        const sender = {
          send: (msgType: "comm_msg" | "comm_close", content: Record<string, unknown>, buffers?: Buffer[]) =>
            this.publish(msgType, content, this.lastParent, buffers),
        };
        const comm = new Comm(event.commId, event.targetName, sender);
        comm.ofCells = true;
        this.comms.add(comm);
        // As ipykernel: the comm's metadata (a widget's protocol version) is the message's metadata.
        publish(
          "comm_open",
          { comm_id: event.commId, target_name: event.targetName, data: event.data, target_module: null },
          toBuffers(event.buffers),
          event.metadata,
        );
        return;
      }
      case "comm-msg":
        publish("comm_msg", { comm_id: event.commId, data: event.data }, toBuffers(event.buffers));
        return;
      case "comm-close": {
        const comm = this.comms.get(event.commId);
        this.comms.remove(event.commId);
        if (comm) comm.closed = true;
        publish("comm_close", { comm_id: event.commId, data: event.data });
        return;
      }
    }
  }

  private async shutdown(msg: JupyterMessage, channel: MessageChannel): Promise<void> {
    const restart = msg.content.restart === true;
    this.shuttingDown = true;
    this.interrupt();
    await this.reply(msg, channel, "shutdown_reply", { status: "ok", restart });
    this.options.onShutdown?.(restart);
  }
}
