/**
 * The comms API that widgets are built on: a Jupyter comm is a two-way channel between kernel code
 * and a frontend. The kernel provides the implementation (`setComms`, done by its executor);
 * outside a kernel, comms are local and go nowhere.
 */

/** Handler of one message from the frontend; a returned promise keeps the kernel busy on that message until it settles. */
export type CommMessageHandler = (data: unknown, buffers: Uint8Array[]) => void | Promise<void>;

/** One open comm. */
export interface Comm {
  readonly id: string;
  readonly targetName: string;
  /** True once either side closed it. */
  readonly closed: boolean;
  /**
   * Sends `data` (JSON) and optional binary `buffers` to the frontend.
   * @example comm.send({ method: "update", state: { value: 3 } });
   */
  send(data: unknown, buffers?: Uint8Array[]): void;
  /**
   * Calls `handler` with every message from the frontend; returns a function that removes it.
   * @example comm.onMsg((data) => console.log("got", data));
   */
  onMsg(handler: CommMessageHandler): () => void;
  /** Calls `handler` once when the frontend closes the comm (not when the kernel side does). */
  onClose(handler: (data: unknown) => void): () => void;
  /** Closes the comm, telling the frontend (with optional `data`). */
  close(data?: unknown): void;
}

/** What a frontend sent when it opened a comm to a registered target. */
export interface CommOpenMessage {
  data: unknown;
  metadata: Record<string, unknown>;
  buffers: Uint8Array[];
}

/** Called when a frontend opens a comm to a registered target. */
export type CommTargetHandler = (comm: Comm, message: CommOpenMessage) => void | Promise<void>;

/**
 * Comms of the kernel: targets frontends may open comms to, and comms the kernel opens.
 * @example
 * comms.registerTarget("echo", (comm) => comm.onMsg((data) => comm.send({ echo: data })));
 * const c = comms.open("my.target", { hello: 1 });
 * c.onMsg((data) => console.log(data));
 */
export interface Comms {
  /** Accepts comms that frontends open to `targetName` (a second registration replaces the first). */
  registerTarget(targetName: string, handler: CommTargetHandler): void;
  /** Stops accepting comms to `targetName` (open ones stay open). */
  unregisterTarget(targetName: string): void;
  /** Opens a comm to a frontend target; `buffers` travel as binary frames. */
  open(
    targetName: string,
    data?: unknown,
    metadata?: Record<string, unknown>,
    buffers?: Uint8Array[],
    /** Use this id instead of a fresh one. */
    commId?: string,
  ): Comm;
  /** Open comms by id, optionally of one target. */
  list(targetName?: string): Record<string, { target_name: string }>;
}

/** A comm that only records its listeners: what `open` gives without a kernel. */
class LocalComm implements Comm {
  closed = false;
  private readonly handlers = new Set<CommMessageHandler>();
  constructor(
    readonly id: string,
    readonly targetName: string,
  ) {}
  send(): void {
    if (this.closed) throw new Error(`comm ${this.id} (${this.targetName}) is closed`);
  }
  onMsg(handler: CommMessageHandler): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }
  onClose(): () => void {
    return () => {};
  }
  close(): void {
    this.closed = true;
  }
}

let localIds = 0;
const localComms: Comms = {
  registerTarget() {},
  unregisterTarget() {},
  open: (targetName, _data, _metadata, _buffers, commId) => new LocalComm(commId ?? `local-${++localIds}`, targetName),
  list: () => ({}),
};

let current: Comms | undefined;

/** Installs the kernel's comms (the executor does this); returns the previous ones. */
export function setComms(comms: Comms | undefined): Comms | undefined {
  const previous = current;
  current = comms;
  return previous;
}

/** The kernel's comms, or local ones that reach no frontend when there is no kernel. */
export function getComms(): Comms {
  return current ?? localComms;
}

/** True when a kernel installed its comms (a frontend may be listening). */
export function hasKernelComms(): boolean {
  return current !== undefined;
}

/**
 * The kernel's comms (resident as `comms`): frontends' targets and comms opened from cells.
 * @example
 * comms.registerTarget("echo", (comm) => comm.onMsg((data) => comm.send({ echo: data })));
 * const c = comms.open("my.target", { hello: 1 }); c.send({ n: 2 }); c.close();
 */
export const comms: Comms = {
  registerTarget: (targetName, handler) => getComms().registerTarget(targetName, handler),
  unregisterTarget: (targetName) => getComms().unregisterTarget(targetName),
  open: (targetName, data, metadata, buffers, commId) => getComms().open(targetName, data, metadata, buffers, commId),
  list: (targetName) => getComms().list(targetName),
};
