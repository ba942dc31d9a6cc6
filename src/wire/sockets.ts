/** The kernel's five ZeroMQ sockets, bound per the connection file. */
import * as zmq from "zeromq";
import { endpoint, type Channel, type ConnectionInfo } from "./connection.js";
import { decodeMessage, encodeMessage, WireError, type OutgoingMessage } from "./framing.js";
import type { JupyterMessage } from "./message.js";
import { ReplayGuard } from "./replay.js";
import { createSigner, type Signer } from "./signing.js";

export type MessageChannel = Exclude<Channel, "hb">;

export interface KernelSocketsOptions {
  /** Called for every verified message received on shell, control or stdin. */
  onMessage(channel: MessageChannel, message: JupyterMessage): void;
  /** Called for dropped frames (bad signature, malformed); default logs to stderr. */
  onDropped?(channel: MessageChannel, error: Error): void;
  /** Called with the routing id of a client whose shell connection closed. */
  onClientGone?(identity: Buffer): void;
}

/** libzmq's ZMQ_ROUTER_NOTIFY option and its "tell me of disconnects" flag (draft API, built into zeromq.js). */
const ZMQ_ROUTER_NOTIFY = 97;
const ZMQ_NOTIFY_DISCONNECT = 2;

/** Serializes sends: zeromq 6 allows one pending send per socket. */
class SendQueue {
  private tail: Promise<void> = Promise.resolve();
  constructor(
    private readonly socket: zmq.Writable & zmq.Socket,
    private readonly name: string,
  ) {}
  send(frames: Buffer[]): Promise<void> {
    this.tail = this.tail
      .then(() => (this.socket.closed ? undefined : this.socket.send(frames)))
      .catch((e: Error) => {
        if (!this.socket.closed) process.stderr.write(`deepts: send on ${this.name} failed: ${e.message}\n`);
      });
    return this.tail;
  }
  drain(): Promise<void> {
    return this.tail;
  }
}

/**
 * Bound sockets of one kernel: ROUTER for shell/control/stdin, PUB for iopub, ROUTER echo for heartbeat.
 *
 * ```ts
 * const sockets = await KernelSockets.bind(info, { onMessage: (ch, msg) => ... });
 * sockets.send("iopub", { header, parent_header, content });
 * ```
 */
export class KernelSockets {
  readonly signer: Signer;
  /** Signatures of messages accepted on any channel, to refuse replays. */
  private readonly replays = new ReplayGuard();
  private readonly queues: Record<MessageChannel, SendQueue>;
  private readonly all: zmq.Socket[];
  private closing = false;

  private constructor(
    private readonly info: ConnectionInfo,
    private readonly sockets: {
      shell: zmq.Router;
      control: zmq.Router;
      stdin: zmq.Router;
      iopub: zmq.Publisher;
      hb: zmq.Router;
    },
    private readonly options: KernelSocketsOptions,
  ) {
    this.signer = createSigner(info.signature_scheme, info.key);
    this.queues = {
      shell: new SendQueue(sockets.shell, "shell"),
      control: new SendQueue(sockets.control, "control"),
      stdin: new SendQueue(sockets.stdin, "stdin"),
      iopub: new SendQueue(sockets.iopub, "iopub"),
    };
    this.all = Object.values(sockets);
  }

  static async bind(info: ConnectionInfo, options: KernelSocketsOptions): Promise<KernelSockets> {
    const linger = 1000;
    const sockets = {
      shell: new zmq.Router({ linger }),
      control: new zmq.Router({ linger }),
      stdin: new zmq.Router({ linger }),
      iopub: new zmq.Publisher({ linger }),
      hb: new zmq.Router({ linger: 0 }),
    };
    // A disconnecting client shows up on shell as [routing id, empty frame], so the kernel can close its comms.
    if (options.onClientGone) {
      try {
        (sockets.shell as unknown as { setInt32Option(o: number, v: number): void }).setInt32Option(
          ZMQ_ROUTER_NOTIFY,
          ZMQ_NOTIFY_DISCONNECT,
        );
      } catch (e) {
        process.stderr.write(
          `deepts: no disconnect notices on shell (${(e as Error).message}): comms of clients that leave stay open\n`,
        );
      }
    }
    await Promise.all(Object.entries(sockets).map(([ch, s]) => s.bind(endpoint(info, ch as Channel))));
    const ks = new KernelSockets(info, sockets, options);
    for (const ch of ["shell", "control", "stdin"] as const) void ks.receiveLoop(ch);
    void ks.heartbeatLoop();
    return ks;
  }

  /** Signs and sends a message; resolves once queued in ZeroMQ. */
  send(channel: MessageChannel, message: OutgoingMessage): Promise<void> {
    if (this.closing) return Promise.resolve();
    return this.queues[channel].send(encodeMessage(message, this.signer));
  }

  private async receiveLoop(channel: MessageChannel): Promise<void> {
    const socket = this.sockets[channel] as zmq.Router;
    try {
      for await (const frames of socket) {
        if (channel === "shell" && frames.length === 2 && frames[1]!.length === 0) {
          this.options.onClientGone?.(frames[0]!);
          continue;
        }
        let message: JupyterMessage;
        try {
          message = decodeMessage(frames, this.signer, this.replays);
        } catch (e) {
          if (!(e instanceof WireError)) throw e;
          if (this.options.onDropped) this.options.onDropped(channel, e);
          else process.stderr.write(`deepts: dropped a message on ${channel}: ${e.message}\n`);
          continue;
        }
        try {
          this.options.onMessage(channel, message);
        } catch (e) {
          process.stderr.write(
            `deepts: error handling ${message.header.msg_type} on ${channel}: ${(e as Error).stack}\n`,
          );
        }
      }
    } catch (e) {
      if (!this.closing) process.stderr.write(`deepts: ${channel} socket failed: ${(e as Error).message}\n`);
    }
  }

  private async heartbeatLoop(): Promise<void> {
    const hb = this.sockets.hb;
    try {
      for await (const frames of hb) await hb.send(frames);
    } catch (e) {
      if (!this.closing) process.stderr.write(`deepts: heartbeat socket failed: ${(e as Error).message}\n`);
    }
  }

  /** Waits for queued sends, then closes every socket. */
  async close(): Promise<void> {
    if (this.closing) return;
    await Promise.all(Object.values(this.queues).map((q) => q.drain()));
    this.closing = true;
    for (const s of this.all) if (!s.closed) s.close();
  }

  get connection(): ConnectionInfo {
    return this.info;
  }
}
