/** A small Jupyter client for tests: spawns the built kernel and talks to it over ZeroMQ. */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import * as zmq from "zeromq";
import { endpoint, type ConnectionInfo } from "../../src/wire/connection.js";
import { decodeMessage, encodeMessage } from "../../src/wire/framing.js";
import { newHeader, type JupyterMessage } from "../../src/wire/message.js";
import { createSigner, type Signer } from "../../src/wire/signing.js";

export const repoRoot = resolve(import.meta.dirname, "../..");
export const kernelMain = join(repoRoot, "dist/cli/main.js");

/**
 * Installs the kernelspec into a fresh temporary prefix (`deepts install --prefix`) and returns the
 * prefix with an environment in which Jupyter finds that kernelspec and keeps its data, config
 * and runtime files under the prefix.
 */
export function installKernelspec(tag: string): { prefix: string; env: NodeJS.ProcessEnv } {
  const prefix = mkdtempSync(join(tmpdir(), `deepts-${tag}-`));
  const install = spawnSync(process.execPath, [kernelMain, "install", "--prefix", prefix], { encoding: "utf8" });
  if (install.status !== 0)
    throw new Error(`deepts install --prefix ${prefix} failed (${install.status}): ${install.stderr}`);
  const env = {
    ...process.env,
    JUPYTER_PATH: join(prefix, "share/jupyter"),
    JUPYTER_DATA_DIR: join(prefix, "data"),
    JUPYTER_CONFIG_DIR: join(prefix, "config"),
    JUPYTER_RUNTIME_DIR: join(prefix, "runtime"),
    DEEPTS_HISTORY_FILE: "",
  };
  return { prefix, env };
}

export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const server = createServer();
    server.once("error", rej);
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => res(port));
    });
  });
}

/** `n` distinct free ports (all held open until every one is chosen). */
export async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<ReturnType<typeof createServer>>((res, rej) => {
          const server = createServer();
          server.once("error", rej);
          server.listen(0, "127.0.0.1", () => res(server));
        }),
    ),
  );
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

export async function writeConnectionFile(
  dir: string,
  key = randomUUID(),
  transport: "tcp" | "ipc" = "tcp",
): Promise<{ file: string; info: ConnectionInfo }> {
  const [shell, iopub, stdin, control, hb] = await freePorts(5);
  const info: ConnectionInfo = {
    transport,
    // For ipc, `ip` is the path prefix of the socket files (`<ip>-<port>`).
    ip: transport === "tcp" ? "127.0.0.1" : join(dir, "kernel-ipc"),
    shell_port: shell!,
    iopub_port: iopub!,
    stdin_port: stdin!,
    control_port: control!,
    hb_port: hb!,
    key,
    signature_scheme: "hmac-sha256",
  };
  const file = join(dir, "connection.json");
  writeFileSync(file, JSON.stringify(info));
  return { file, info };
}

type ReqChannel = "shell" | "control" | "stdin";

export interface StartOptions {
  env?: NodeJS.ProcessEnv;
  /** Command to run instead of `node dist/cli/main.js kernel`; `{cf}` is replaced by the connection file. */
  argv?: string[];
  /** Wait until the kernel answers and iopub is subscribed (default true). */
  waitReady?: boolean;
  /** Start the kernel in a session (process group) of its own, as jupyter_client does. */
  detached?: boolean;
  transport?: "tcp" | "ipc";
  /** The connection file's key (default: a random one). */
  key?: string;
}

/**
 * ```ts
 * const k = await TestKernel.start();
 * const { reply, outputs } = await k.execute("1+1");
 * await k.shutdown();
 * ```
 */
export class TestKernel {
  readonly iopub: JupyterMessage[] = [];
  stderr = "";
  stdout = "";
  exited: Promise<number | null>;
  private readonly replies = new Map<string, (m: JupyterMessage) => void>();
  private readonly iopubWaiters: { pred: (m: JupyterMessage) => boolean; resolve: (m: JupyterMessage) => void }[] = [];
  readonly stdinRequests: JupyterMessage[] = [];
  onInputRequest?: (m: JupyterMessage) => void;
  /** Sees every multipart message the kernel sends, before it is decoded. */
  onFrames?: (channel: string, frames: Buffer[]) => void;
  readonly signer: Signer;
  readonly session = randomUUID();
  private readonly sockets: { shell: zmq.Dealer; control: zmq.Dealer; stdin: zmq.Dealer; iopub: zmq.Subscriber };

  private constructor(
    readonly proc: ChildProcess,
    readonly info: ConnectionInfo,
    readonly dir: string,
    readonly startedAt: number,
  ) {
    this.signer = createSigner(info.signature_scheme, info.key);
    // Like jupyter_client: shell and stdin share a routing id, so the kernel can address input_request.
    const routingId = this.session;
    // Retry connecting quickly while the kernel is still binding (zmq's default is 100 ms).
    const reconnectInterval = 10;
    this.sockets = {
      shell: new zmq.Dealer({ linger: 0, routingId, reconnectInterval }),
      control: new zmq.Dealer({ linger: 0, reconnectInterval }),
      stdin: new zmq.Dealer({ linger: 0, routingId, reconnectInterval }),
      iopub: new zmq.Subscriber({ linger: 0, reconnectInterval }),
    };
    for (const channel of ["shell", "control", "stdin", "iopub"] as const)
      this.sockets[channel].connect(endpoint(info, channel));
    this.sockets.iopub.subscribe();
    for (const ch of ["shell", "control", "stdin"] as const) void this.loop(ch);
    void this.iopubLoop();
    proc.stderr?.on("data", (d: Buffer) => (this.stderr += d.toString()));
    proc.stdout?.on("data", (d: Buffer) => (this.stdout += d.toString()));
    this.exited = new Promise((res) => proc.once("exit", (code) => res(code)));
  }

  static async start(options: StartOptions = {}): Promise<TestKernel> {
    const dir = mkdtempSync(join(tmpdir(), "deepts-kernel-test-"));
    const { file, info } = await writeConnectionFile(dir, options.key, options.transport);
    const argv = (options.argv ?? [process.execPath, kernelMain, "kernel", "{cf}"]).map((a) =>
      a === "{cf}" ? file : a,
    );
    const startedAt = performance.now();
    const proc = spawn(argv[0]!, argv.slice(1), {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, DEEPTS_HISTORY_FILE: join(dir, "history.json"), ...options.env },
      cwd: dir,
      detached: options.detached ?? false,
    });
    const kernel = new TestKernel(proc, info, dir, startedAt);
    if (options.waitReady !== false) await kernel.waitReady();
    return kernel;
  }

  /** Sends kernel_info until iopub shows its status (so no later iopub message is missed). */
  async waitReady(timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const id = this.send("shell", "kernel_info_request", {});
      const seen = await Promise.race([
        this.waitIopub((m) => m.parent_header.msg_id === id && m.header.msg_type === "status"),
        new Promise<undefined>((r) => setTimeout(() => r(undefined), 200)),
      ]);
      if (seen) return;
    }
    throw new Error(`kernel not ready after ${timeoutMs} ms; stderr:\n${this.stderr}`);
  }

  private async loop(channel: ReqChannel): Promise<void> {
    try {
      for await (const frames of this.sockets[channel]) {
        this.onFrames?.(channel, frames);
        const msg = decodeMessage(frames, this.signer);
        if (channel === "stdin" && msg.header.msg_type === "input_request") {
          this.stdinRequests.push(msg);
          this.onInputRequest?.(msg);
          continue;
        }
        const id = msg.parent_header.msg_id;
        if (id) this.replies.get(id)?.(msg);
      }
    } catch {
      // closed
    }
  }

  private async iopubLoop(): Promise<void> {
    try {
      for await (const frames of this.sockets.iopub) {
        this.onFrames?.("iopub", frames);
        const msg = decodeMessage(frames, this.signer);
        this.iopub.push(msg);
        for (const w of [...this.iopubWaiters]) {
          if (w.pred(msg)) {
            this.iopubWaiters.splice(this.iopubWaiters.indexOf(w), 1);
            w.resolve(msg);
          }
        }
      }
    } catch {
      // closed
    }
  }

  /** Resolves with the first iopub message (already received or future) matching `pred`. */
  waitIopub(pred: (m: JupyterMessage) => boolean, timeoutMs = 30_000): Promise<JupyterMessage> {
    const found = this.iopub.find(pred);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const w = { pred, resolve };
      this.iopubWaiters.push(w);
      setTimeout(() => {
        const i = this.iopubWaiters.indexOf(w);
        if (i >= 0) {
          this.iopubWaiters.splice(i, 1);
          reject(new Error(`no matching iopub message within ${timeoutMs} ms`));
        }
      }, timeoutMs).unref();
    });
  }

  private readonly sendTails = new Map<ReqChannel, Promise<unknown>>();

  /** Sends frames after the channel's earlier sends (zeromq 6 allows one pending send per socket). */
  private sendOn(channel: ReqChannel, frames: Buffer[]): Promise<void> {
    const socket = this.sockets[channel];
    const sent = (this.sendTails.get(channel) ?? Promise.resolve()).then(() => socket.send(frames));
    this.sendTails.set(
      channel,
      sent.catch(() => undefined),
    );
    return sent;
  }

  /** Sends a request; returns its msg_id. */
  send(
    channel: ReqChannel,
    msgType: string,
    content: Record<string, unknown>,
    raw?: (frames: Buffer[]) => Buffer[],
  ): string {
    const header = newHeader(msgType, this.session, "test");
    let frames = encodeMessage({ header, parent_header: {}, content }, this.signer);
    if (raw) frames = raw(frames);
    this.sendOn(channel, frames).catch(() => undefined);
    return header.msg_id;
  }

  /** Sends frames as they are on a channel's socket. */
  sendFrames(channel: ReqChannel, frames: Buffer[]): Promise<void> {
    return this.sendOn(channel, frames);
  }

  /** The reply whose parent is `msgId`, or undefined after `timeoutMs`. */
  waitReply(msgId: string, timeoutMs: number): Promise<JupyterMessage | undefined> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.replies.delete(msgId);
        resolve(undefined);
      }, timeoutMs);
      this.replies.set(msgId, (m) => {
        clearTimeout(timer);
        this.replies.delete(msgId);
        resolve(m);
      });
    });
  }

  /** Sends a request and waits for its reply. */
  request(
    channel: ReqChannel,
    msgType: string,
    content: Record<string, unknown> = {},
    timeoutMs = 30_000,
  ): Promise<JupyterMessage> {
    const header = newHeader(msgType, this.session, "test");
    const reply = new Promise<JupyterMessage>((resolve, reject) => {
      this.replies.set(header.msg_id, (m) => {
        this.replies.delete(header.msg_id);
        resolve(m);
      });
      setTimeout(() => {
        if (this.replies.delete(header.msg_id))
          reject(new Error(`no reply to ${msgType} within ${timeoutMs} ms; stderr:\n${this.stderr}`));
      }, timeoutMs).unref();
    });
    this.sendOn(channel, encodeMessage({ header, parent_header: {}, content }, this.signer)).catch(() => undefined);
    return reply;
  }

  /** Answers an input_request. */
  inputReply(value: string): void {
    this.send("stdin", "input_reply", { value });
  }

  /** Runs a cell; returns the reply and the iopub messages of the request up to its idle status. */
  async execute(
    code: string,
    content: Record<string, unknown> = {},
    timeoutMs = 30_000,
  ): Promise<{ reply: JupyterMessage; outputs: JupyterMessage[] }> {
    const header = newHeader("execute_request", this.session, "test");
    const id = header.msg_id;
    const reply = new Promise<JupyterMessage>((resolve, reject) => {
      this.replies.set(id, resolve);
      setTimeout(
        () =>
          this.replies.delete(id) &&
          reject(new Error(`no execute_reply within ${timeoutMs} ms; stderr:\n${this.stderr}`)),
        timeoutMs,
      ).unref();
    });
    this.sendOn(
      "shell",
      encodeMessage(
        {
          header,
          parent_header: {},
          content: {
            code,
            silent: false,
            store_history: true,
            user_expressions: {},
            allow_stdin: false,
            stop_on_error: true,
            ...content,
          },
        },
        this.signer,
      ),
    ).catch(() => undefined);
    const r = await reply;
    await this.waitIopub(
      (m) => m.parent_header.msg_id === id && m.header.msg_type === "status" && m.content.execution_state === "idle",
      timeoutMs,
    );
    const outputs = this.iopub.filter(
      (m) => m.parent_header.msg_id === id && m.header.msg_type !== "status" && m.header.msg_type !== "execute_input",
    );
    return { reply: r, outputs };
  }

  /** Text of all stream messages of a name among `outputs`. */
  static streamText(outputs: JupyterMessage[], name: "stdout" | "stderr"): string {
    return outputs
      .filter((m) => m.header.msg_type === "stream" && m.content.name === name)
      .map((m) => m.content.text as string)
      .join("");
  }

  /** Heartbeat round trip in ms (rejects after timeoutMs). */
  async ping(timeoutMs = 2000): Promise<number> {
    const req = new zmq.Request({ linger: 0, receiveTimeout: timeoutMs });
    req.connect(endpoint(this.info, "hb"));
    const t0 = performance.now();
    try {
      await req.send("ping");
      const [echo] = await req.receive();
      if (echo!.toString() !== "ping") throw new Error("heartbeat echoed something else");
      return performance.now() - t0;
    } finally {
      req.close();
    }
  }

  closeSockets(): void {
    for (const s of Object.values(this.sockets)) if (!s.closed) s.close();
  }

  /** Asks for shutdown on control and waits for the process to exit; kills it if it does not. */
  async shutdown(): Promise<number | null> {
    if (this.proc.exitCode === null && this.proc.signalCode === null) {
      try {
        await this.request("control", "shutdown_request", { restart: false }, 5000);
      } catch {
        this.proc.kill("SIGKILL");
      }
    }
    const timer = setTimeout(() => this.proc.kill("SIGKILL"), 5000);
    const code = await this.exited;
    clearTimeout(timer);
    this.closeSockets();
    return code;
  }
}
