/**
 * The evaluation thread's comms: the implementation of the public `Comms` API (`src/widgets/comms.ts`)
 * that cell code and widgets use, talking to the kernel's main thread over the worker protocol.
 * Handlers run in the context of the request that delivered the message, so their output is
 * published with that message as parent; the kernel hears `comm-handled` once they settled.
 */
import { randomUUID } from "node:crypto";
import type { Comm, CommMessageHandler, CommTargetHandler, Comms } from "../../widgets/comms.js";
import type { CommFromWorker, CommToWorker } from "./protocol.js";

export interface CellCommsOptions {
  post(event: CommFromWorker | { kind: "comm-handled"; id: number }): void;
  /** The request whose context runs now (0 when none). */
  currentRequest(): number;
  /** Runs `fn` in the context of request `id`. */
  runInRequest<T>(id: number, fn: () => T): T;
  /** Shows a handler's failure (as stderr output of request `id`). */
  onError(message: string, id: number): void;
}

class CellComm implements Comm {
  closed = false;
  readonly messageHandlers = new Set<CommMessageHandler>();
  readonly closeHandlers = new Set<(data: unknown) => void>();

  constructor(
    readonly id: string,
    readonly targetName: string,
    private readonly owner: CellCommsImpl,
  ) {}

  send(data: unknown, buffers: Uint8Array[] = []): void {
    if (this.closed) throw new Error(`comm ${this.id} (${this.targetName}) is closed`);
    this.owner.post({ kind: "comm-msg", id: this.owner.request(), commId: this.id, data, buffers });
  }

  onMsg(handler: CommMessageHandler): () => void {
    this.messageHandlers.add(handler);
    return () => this.messageHandlers.delete(handler);
  }

  onClose(handler: (data: unknown) => void): () => void {
    this.closeHandlers.add(handler);
    return () => this.closeHandlers.delete(handler);
  }

  close(data: unknown = {}): void {
    if (this.closed) return;
    this.closed = true;
    this.owner.forget(this.id);
    this.owner.post({ kind: "comm-close", id: this.owner.request(), commId: this.id, data });
  }
}

class CellCommsImpl implements Comms {
  private readonly targets = new Map<string, CommTargetHandler>();
  private readonly openComms = new Map<string, CellComm>();

  constructor(private readonly options: CellCommsOptions) {}

  post(event: CommFromWorker | { kind: "comm-handled"; id: number }): void {
    this.options.post(event);
  }

  request(): number {
    return this.options.currentRequest();
  }

  forget(id: string): void {
    this.openComms.delete(id);
  }

  registerTarget(targetName: string, handler: CommTargetHandler): void {
    if (typeof handler !== "function")
      throw new TypeError(`comms.registerTarget(${targetName}): the handler must be a function`);
    this.targets.set(targetName, handler);
    this.post({ kind: "comm-target", targetName, registered: true });
  }

  unregisterTarget(targetName: string): void {
    if (this.targets.delete(targetName)) this.post({ kind: "comm-target", targetName, registered: false });
  }

  open(
    targetName: string,
    data: unknown = {},
    metadata: Record<string, unknown> = {},
    buffers: Uint8Array[] = [],
    commId?: string,
  ): Comm {
    const comm = new CellComm(commId ?? randomUUID().replaceAll("-", ""), targetName, this);
    this.openComms.set(comm.id, comm);
    this.post({ kind: "comm-open", id: this.request(), commId: comm.id, targetName, data, metadata, buffers });
    return comm;
  }

  list(targetName?: string): Record<string, { target_name: string }> {
    const out: Record<string, { target_name: string }> = {};
    for (const [id, comm] of this.openComms)
      if (targetName === undefined || comm.targetName === targetName) out[id] = { target_name: comm.targetName };
    return out;
  }

  /** Runs the handlers of one message from the frontend and reports when they settled. */
  deliver(event: CommToWorker): void {
    const { id } = event;
    const settled = this.options.runInRequest(id, () => this.dispatch(event));
    void Promise.allSettled(settled).then(() => this.post({ kind: "comm-handled", id }));
  }

  private dispatch(event: CommToWorker): Promise<unknown>[] {
    const pending: Promise<unknown>[] = [];
    const run = (what: string, fn: () => unknown) => {
      try {
        const r = fn();
        if (r instanceof Promise)
          pending.push(r.catch((e: unknown) => this.options.onError(failure(what, e), event.id)));
      } catch (e) {
        this.options.onError(failure(what, e), event.id);
      }
    };
    switch (event.kind) {
      case "comm-open": {
        const handler = this.targets.get(event.targetName);
        if (!handler) {
          this.post({ kind: "comm-close", id: event.id, commId: event.commId, data: {} });
          break;
        }
        const comm = new CellComm(event.commId, event.targetName, this);
        this.openComms.set(comm.id, comm);
        const message = { data: event.data, metadata: event.metadata, buffers: event.buffers };
        run(`open (target ${event.targetName})`, () => handler(comm, message));
        break;
      }
      case "comm-msg": {
        const comm = this.openComms.get(event.commId);
        for (const h of comm?.messageHandlers ?? [])
          run(`message (target ${comm!.targetName})`, () => h(event.data, event.buffers));
        break;
      }
      case "comm-close": {
        const comm = this.openComms.get(event.commId);
        if (!comm) break;
        this.openComms.delete(event.commId);
        comm.closed = true;
        for (const h of comm.closeHandlers) run(`close (target ${comm.targetName})`, () => h(event.data));
        break;
      }
    }
    return pending;
  }
}

function failure(what: string, e: unknown): string {
  return `comm ${what} handler failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`;
}

/** Creates the worker's comms; `deliver` takes comm traffic from the kernel. */
export function createCellComms(options: CellCommsOptions): { comms: Comms; deliver(event: CommToWorker): void } {
  const impl = new CellCommsImpl(options);
  return { comms: impl, deliver: (event) => impl.deliver(event) };
}
