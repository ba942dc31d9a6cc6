/** Starting a deepts kernel process of our own (fresh connection file, free loopback ports, random key) and stopping it. */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { KernelClient } from "../wire/client.js";
import type { ConnectionInfo } from "../wire/connection.js";
import type { JupyterMessage } from "../wire/message.js";

/** `n` distinct free TCP ports on 127.0.0.1 (all held open until every one is chosen). */
export async function freeLoopbackPorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<Server>((resolve, reject) => {
          const server = createServer();
          server.once("error", reject);
          server.listen(0, "127.0.0.1", () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

export interface StartKernelOptions {
  /** Working directory of the kernel (where relative paths in cells resolve). */
  cwd: string;
  /** Extra environment variables. */
  env?: NodeJS.ProcessEnv;
  /** How long to wait for kernel_info and the first iopub message (default 60 s). */
  readyTimeoutMs?: number;
}

const mainScript = fileURLToPath(new URL("../cli/main.js", import.meta.url));

/**
 * A kernel process started by us, with a client connected to it.
 *
 * ```ts
 * const kernel = await LocalKernel.start({ cwd: process.cwd() });
 * const reply = await kernel.client.request("shell", "kernel_info_request");
 * await kernel.shutdown();
 * ```
 */
export class LocalKernel {
  /** Resolves with the exit code (or signal name) once the process has exited. */
  readonly exited: Promise<number | string>;
  /** The last 64 kB of the kernel's stderr (shown when it dies). */
  stderrTail = "";
  private stopping?: Promise<void>;

  private constructor(
    readonly proc: ChildProcess,
    readonly client: KernelClient,
    readonly info: ConnectionInfo,
    private readonly dir: string,
  ) {
    this.exited = new Promise((resolve) => proc.once("exit", (code, signal) => resolve(code ?? signal ?? "unknown")));
    proc.stderr?.on("data", (d: Buffer) => (this.stderrTail = (this.stderrTail + d.toString()).slice(-65536)));
    proc.stdout?.resume();
  }

  get pid(): number {
    return this.proc.pid!;
  }

  get running(): boolean {
    return this.proc.exitCode === null && this.proc.signalCode === null;
  }

  /** Spawns `node dist/cli/main.js kernel <connection file>` and waits until it answers on shell and iopub. */
  static async start(options: StartKernelOptions): Promise<LocalKernel> {
    const dir = mkdtempSync(join(tmpdir(), "deepts-run-"));
    const [shell, iopub, stdin, control, hb] = await freeLoopbackPorts(5);
    const info: ConnectionInfo = {
      transport: "tcp",
      ip: "127.0.0.1",
      shell_port: shell!,
      iopub_port: iopub!,
      stdin_port: stdin!,
      control_port: control!,
      hb_port: hb!,
      key: randomBytes(32).toString("hex"),
      signature_scheme: "hmac-sha256",
      kernel_name: "deepts",
    };
    const file = join(dir, "kernel.json");
    writeFileSync(file, JSON.stringify(info), { mode: 0o600 });
    const proc = spawn(process.execPath, [mainScript, "kernel", file], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const kernel = new LocalKernel(proc, KernelClient.connect(info), info, dir);
    try {
      await kernel.waitReady(options.readyTimeoutMs ?? 60_000);
    } catch (e) {
      await kernel.shutdown();
      throw e;
    }
    return kernel;
  }

  /** Sends kernel_info until iopub shows the status of one (so that no later iopub message is missed), then pings the heartbeat. */
  private async waitReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const sawStatusOf = new Set<string>();
    const off = this.client.onIopub((m) => {
      if (m.header.msg_type === "status" && m.parent_header.msg_id) sawStatusOf.add(m.parent_header.msg_id);
    });
    try {
      while (Date.now() < deadline) {
        if (!this.running)
          throw new Error(`the kernel exited while starting (${await this.exited})\n${this.stderrTail}`);
        const { msgId, reply } = this.client.send("shell", "kernel_info_request");
        const answered = await Promise.race([reply.then(() => true), sleep(250).then(() => false)]);
        if (answered) {
          // The reply can come before the SUB socket is connected; wait a little for the status.
          for (let i = 0; i < 10 && !sawStatusOf.has(msgId); i++) await sleep(25);
          if (sawStatusOf.has(msgId)) {
            await this.client.ping(5000);
            return;
          }
        }
      }
      throw new Error(`the kernel did not answer within ${timeoutMs / 1000} s\n${this.stderrTail}`);
    } finally {
      off();
    }
  }

  /** kernel_info_reply content. */
  async kernelInfo(): Promise<JupyterMessage> {
    return this.client.request("shell", "kernel_info_request", {}, 30_000);
  }

  /** interrupt_request on control; resolves when answered (or after `timeoutMs`). */
  async interrupt(timeoutMs = 5000): Promise<void> {
    await this.client.request("control", "interrupt_request", {}, timeoutMs).catch(() => undefined);
  }

  /**
   * Stops the kernel: shutdown_request on control, then SIGKILL when it has not exited within
   * `graceMs`; closes the client's sockets and removes the connection file. Safe to call twice.
   */
  shutdown(graceMs = 5000): Promise<void> {
    this.stopping ??= (async () => {
      if (this.running) {
        await this.client.request("control", "shutdown_request", { restart: false }, graceMs).catch(() => undefined);
        const timer = setTimeout(() => this.proc.kill("SIGKILL"), graceMs);
        await this.exited;
        clearTimeout(timer);
      }
      this.client.close();
      rmSync(this.dir, { recursive: true, force: true });
    })();
    return this.stopping;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
