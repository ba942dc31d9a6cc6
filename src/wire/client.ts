/** The client side of the wire protocol: DEALER sockets for shell/control/stdin, SUB for iopub, REQ pings on heartbeat. */
import { randomUUID } from "node:crypto";
import * as zmq from "zeromq";
import { endpoint, type ConnectionInfo } from "./connection.js";
import { decodeMessage, encodeMessage, WireError } from "./framing.js";
import { newHeader, type JupyterMessage } from "./message.js";
import { createSigner, type Signer } from "./signing.js";

export type RequestChannel = "shell" | "control" | "stdin";

/** A sent request: its msg_id and a promise of the reply (rejects when the client closes first). */
export interface SentRequest {
  msgId: string;
  reply: Promise<JupyterMessage>;
}

/** Serializes sends: zeromq 6 allows one pending send per socket. */
function sendQueue(socket: zmq.Writable & zmq.Socket): (frames: Buffer[]) => Promise<void> {
  let tail: Promise<void> = Promise.resolve();
  return (frames) => {
    tail = tail.then(() => (socket.closed ? undefined : socket.send(frames))).catch(() => undefined);
    return tail;
  };
}

/**
 * A Jupyter client connected to a running kernel's five channels.
 *
 * ```ts
 * const client = KernelClient.connect(readConnectionFile("kernel.json"));
 * client.onIopub((m) => console.log(m.header.msg_type));
 * const { reply } = client.send("shell", "execute_request", { code: "1 + 1", silent: false });
 * console.log((await reply).content.status);
 * client.close();
 * ```
 */
export class KernelClient {
  readonly session = randomUUID();
  readonly signer: Signer;
  private readonly sockets: { shell: zmq.Dealer; control: zmq.Dealer; stdin: zmq.Dealer; iopub: zmq.Subscriber };
  private readonly senders: Record<RequestChannel, (frames: Buffer[]) => Promise<void>>;
  private readonly pending = new Map<string, { resolve: (m: JupyterMessage) => void; reject: (e: Error) => void }>();
  private readonly iopubListeners = new Set<(m: JupyterMessage) => void>();
  private readonly stdinListeners = new Set<(m: JupyterMessage) => void>();
  private closed = false;

  private constructor(
    readonly info: ConnectionInfo,
    private readonly username: string,
  ) {
    this.signer = createSigner(info.signature_scheme, info.key);
    // Like jupyter_client: shell and stdin share a routing id, so the kernel can address input_request
    // to the client whose execute_request asked for it. Reconnect quickly while the kernel is still binding.
    const routingId = this.session;
    const reconnectInterval = 20;
    this.sockets = {
      shell: new zmq.Dealer({ linger: 0, routingId, reconnectInterval }),
      control: new zmq.Dealer({ linger: 0, reconnectInterval }),
      stdin: new zmq.Dealer({ linger: 0, routingId, reconnectInterval }),
      iopub: new zmq.Subscriber({ linger: 0, reconnectInterval }),
    };
    for (const channel of ["shell", "control", "stdin", "iopub"] as const)
      this.sockets[channel].connect(endpoint(info, channel));
    this.sockets.iopub.subscribe();
    this.senders = {
      shell: sendQueue(this.sockets.shell),
      control: sendQueue(this.sockets.control),
      stdin: sendQueue(this.sockets.stdin),
    };
    for (const channel of ["shell", "control", "stdin"] as const) void this.receiveLoop(channel);
    void this.receiveLoop("iopub");
  }

  /** Connects to the kernel described by a connection file (the kernel may still be starting). */
  static connect(info: ConnectionInfo, options: { username?: string } = {}): KernelClient {
    return new KernelClient(info, options.username ?? "deepts");
  }

  /** Calls `listener` with every verified iopub message; returns a function that removes it. */
  onIopub(listener: (m: JupyterMessage) => void): () => void {
    this.iopubListeners.add(listener);
    return () => this.iopubListeners.delete(listener);
  }

  /** Calls `listener` with every request the kernel sends on stdin (input_request). */
  onStdin(listener: (m: JupyterMessage) => void): () => void {
    this.stdinListeners.add(listener);
    return () => this.stdinListeners.delete(listener);
  }

  /** Signs and sends a request; the reply is the first message on the same channel whose parent is it. */
  send(
    channel: RequestChannel,
    msgType: string,
    content: Record<string, unknown> = {},
    metadata: Record<string, unknown> = {},
  ): SentRequest {
    const header = newHeader(msgType, this.session, this.username);
    const reply = new Promise<JupyterMessage>((resolve, reject) => {
      if (this.closed) reject(new Error(`client closed before sending ${msgType}`));
      else this.pending.set(header.msg_id, { resolve, reject });
    });
    reply.catch(() => undefined); // callers that never await a reply must not see an unhandled rejection
    if (!this.closed)
      void this.senders[channel](encodeMessage({ header, parent_header: {}, metadata, content }, this.signer));
    return { msgId: header.msg_id, reply };
  }

  /** Sends a request and waits for its reply; rejects after `timeoutMs`. */
  async request(
    channel: RequestChannel,
    msgType: string,
    content: Record<string, unknown> = {},
    timeoutMs = 30_000,
  ): Promise<JupyterMessage> {
    const { msgId, reply } = this.send(channel, msgType, content);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.pending.delete(msgId);
        reject(new Error(`no ${msgType.replace(/_request$/, "_reply")} within ${timeoutMs / 1000} s`));
      }, timeoutMs);
    });
    try {
      return await Promise.race([reply, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** One heartbeat round trip in ms; rejects when no echo comes within `timeoutMs`. */
  async ping(timeoutMs = 2000): Promise<number> {
    const req = new zmq.Request({ linger: 0, receiveTimeout: timeoutMs, sendTimeout: timeoutMs });
    req.connect(endpoint(this.info, "hb"));
    const t0 = performance.now();
    try {
      const token = randomUUID();
      await req.send(token);
      const [echo] = await req.receive();
      if (echo?.toString() !== token) throw new Error("heartbeat echoed something else");
      return performance.now() - t0;
    } finally {
      req.close();
    }
  }

  private async receiveLoop(channel: RequestChannel | "iopub"): Promise<void> {
    const socket = this.sockets[channel];
    try {
      for await (const frames of socket) {
        let message: JupyterMessage;
        try {
          message = decodeMessage(frames, this.signer);
        } catch (e) {
          if (e instanceof WireError) continue; // not from our kernel, or corrupted: ignore like jupyter_client
          throw e;
        }
        if (channel === "iopub") {
          for (const listener of [...this.iopubListeners]) listener(message);
        } else if (channel === "stdin" && message.header.msg_type.endsWith("_request")) {
          for (const listener of [...this.stdinListeners]) listener(message);
        } else {
          const id = message.parent_header.msg_id;
          const waiter = id === undefined ? undefined : this.pending.get(id);
          if (waiter) {
            this.pending.delete(id!);
            waiter.resolve(message);
          }
        }
      }
    } catch {
      // the socket was closed
    }
  }

  /** Closes every socket; pending replies reject. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const socket of Object.values(this.sockets)) if (!socket.closed) socket.close();
    for (const { reject } of this.pending.values()) reject(new Error("client closed"));
    this.pending.clear();
  }
}
