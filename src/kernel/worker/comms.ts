/**
 * Comms for cell code (the basis for widgets), living in the executor worker. Reachable without
 * importing the kernel as `globalThis[Symbol.for("deepts.comms")]`.
 *
 * ```ts
 * const comms = (globalThis as any)[Symbol.for("deepts.comms")];
 * comms.registerTarget("echo", (comm) => { comm.onMessage = (data) => comm.send(data); });
 * const c = comms.open("my.target", { hello: 1 });
 * ```
 */
import { randomUUID } from "node:crypto";
import type { CommFromWorker, CommToWorker } from "./protocol.js";

export const COMMS_KEY = Symbol.for("deepts.comms");

export interface CellComm {
  readonly id: string;
  readonly targetName: string;
  send(data: unknown, buffers?: Uint8Array[]): void;
  close(data?: unknown): void;
  /** Messages from the frontend. */
  onMessage?: (data: unknown, buffers: Uint8Array[]) => void;
  /** The frontend closed the comm. */
  onClose?: (data: unknown) => void;
}

export interface CellComms {
  /** Accepts comms the frontend opens to `targetName`. */
  registerTarget(targetName: string, handler: (comm: CellComm, data: unknown, buffers: Uint8Array[]) => void): void;
  /** Opens a comm to a frontend target. */
  open(targetName: string, data?: unknown, metadata?: Record<string, unknown>): CellComm;
}

/** Creates the worker's comm endpoint; `deliver` takes comm traffic from the kernel. */
export function createCellComms(
  post: (event: CommFromWorker) => void,
  onError: (message: string) => void,
): { comms: CellComms; deliver(event: CommToWorker): void } {
  const targets = new Map<string, (comm: CellComm, data: unknown, buffers: Uint8Array[]) => void>();
  const open = new Map<string, CellComm>();

  const make = (id: string, targetName: string): CellComm => {
    let closed = false;
    const comm: CellComm = {
      id,
      targetName,
      send(data, buffers = []) {
        if (closed) throw new Error(`comm ${id} (${targetName}) is closed`);
        post({ kind: "comm-msg", commId: id, data, buffers });
      },
      close(data = {}) {
        if (closed) return;
        closed = true;
        open.delete(id);
        post({ kind: "comm-close", commId: id, data });
      },
    };
    open.set(id, comm);
    return comm;
  };

  const run = (what: string, fn: () => void) => {
    try {
      fn();
    } catch (e) {
      onError(`comm ${what} handler failed: ${(e as Error).stack ?? e}`);
    }
  };

  return {
    comms: {
      registerTarget(targetName, handler) {
        targets.set(targetName, handler);
        post({ kind: "comm-target", targetName });
      },
      open(targetName, data = {}, metadata = {}) {
        const comm = make(randomUUID(), targetName);
        post({ kind: "comm-open", commId: comm.id, targetName, data, metadata });
        return comm;
      },
    },
    deliver(event) {
      switch (event.kind) {
        case "comm-open": {
          const handler = targets.get(event.targetName);
          if (!handler) return;
          const comm = make(event.commId, event.targetName);
          run("open", () => handler(comm, event.data, event.buffers));
          return;
        }
        case "comm-msg": {
          const comm = open.get(event.commId);
          if (comm?.onMessage) run("message", () => comm.onMessage!(event.data, event.buffers));
          return;
        }
        case "comm-close": {
          const comm = open.get(event.commId);
          open.delete(event.commId);
          if (comm?.onClose) run("close", () => comm.onClose!(event.data));
          return;
        }
      }
    },
  };
}
