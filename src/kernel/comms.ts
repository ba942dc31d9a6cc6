/**
 * The kernel's register of comms: targets on the kernel's own thread (for in-process use and tests),
 * and every open comm with its target and, for comms a frontend opened, the client that opened it
 * (its comms are closed when that client disconnects). Comms of cell code are registered here too,
 * so `comm_info_request` lists them; their traffic goes through the executor (see kernel.ts).
 */

export interface CommSender {
  send(msgType: "comm_msg" | "comm_close", content: Record<string, unknown>, buffers?: Buffer[]): void;
}

/** One open comm. */
export class Comm {
  /** Called with each comm_msg's data from the frontend. */
  onMessage?: (data: unknown, buffers: Buffer[]) => void;
  /** Called when the frontend closes the comm. */
  onClose?: (data: unknown) => void;
  closed = false;
  /** The routing identity (hex) of the client that opened it, for comms a frontend opened. */
  owner?: string;
  /** True for comms of cell code (their messages go to the executor). */
  ofCells = false;

  constructor(
    readonly id: string,
    readonly targetName: string,
    private readonly sender: CommSender,
  ) {}

  send(data: unknown, buffers?: Buffer[]): void {
    if (this.closed) throw new Error(`comm ${this.id} is closed`);
    this.sender.send("comm_msg", { comm_id: this.id, data }, buffers);
  }

  close(data: unknown = {}): void {
    if (this.closed) return;
    this.closed = true;
    this.sender.send("comm_close", { comm_id: this.id, data });
  }
}

/** Called when a frontend opens a comm to this target; may set `comm.onMessage` / `comm.onClose`. */
export type CommTargetHandler = (comm: Comm, data: unknown, buffers: Buffer[]) => void;

/**
 * Targets by name and the comms open now.
 *
 * ```ts
 * registry.registerTarget("echo", (comm) => { comm.onMessage = (d) => comm.send(d); });
 * ```
 */
export class CommRegistry {
  private readonly targets = new Map<string, CommTargetHandler>();
  private readonly comms = new Map<string, Comm>();

  registerTarget(name: string, handler: CommTargetHandler): void {
    this.targets.set(name, handler);
  }

  unregisterTarget(name: string): void {
    this.targets.delete(name);
  }

  hasTarget(name: string): boolean {
    return this.targets.has(name);
  }

  /** Opens a comm to a known target; returns undefined (and opens nothing) for an unknown one. */
  open(id: string, targetName: string, data: unknown, buffers: Buffer[], sender: CommSender): Comm | undefined {
    const handler = this.targets.get(targetName);
    if (!handler) return undefined;
    const comm = new Comm(id, targetName, sender);
    this.comms.set(id, comm);
    handler(comm, data, buffers);
    return comm;
  }

  /** Registers a comm opened elsewhere (by cell code, or by a frontend to a target of cell code). */
  add(comm: Comm): void {
    this.comms.set(comm.id, comm);
  }

  /** Forgets a comm the kernel side closed. */
  remove(id: string): void {
    this.comms.delete(id);
  }

  get(id: string): Comm | undefined {
    return this.comms.get(id);
  }

  /** Closes a comm at the frontend's request. */
  closedByFrontend(id: string, data: unknown): void {
    const comm = this.comms.get(id);
    if (!comm) return;
    this.comms.delete(id);
    comm.closed = true;
    comm.onClose?.(data);
  }

  /** The open comms that `predicate` picks. */
  filter(predicate: (comm: Comm) => boolean): Comm[] {
    return [...this.comms.values()].filter(predicate);
  }

  /** Closes every open comm (telling the frontend) and forgets the given targets. */
  reset(targetNames: Iterable<string>): void {
    for (const name of targetNames) this.targets.delete(name);
    const comms = [...this.comms.values()];
    this.comms.clear();
    for (const comm of comms) comm.close();
  }

  /** The comm_info_reply `comms` field. */
  info(targetName?: string): Record<string, { target_name: string }> {
    const out: Record<string, { target_name: string }> = {};
    for (const [id, comm] of this.comms) {
      if (comm.closed) continue;
      if (targetName === undefined || comm.targetName === targetName) out[id] = { target_name: comm.targetName };
    }
    return out;
  }
}
