/** What the kernel's dispatcher needs from the thing that runs cells (the worker executor, or a test double). */
import type { CompletionResult, InspectionResult, IsCompleteResult } from "../eval/api.js";
import type { MimeBundle } from "../display/sink.js";
import type { CommFromWorker, CommToWorker, ExecuteJob, ExecuteOutcome } from "./worker/protocol.js";

export type { ExecuteJob, ExecuteOutcome } from "./worker/protocol.js";

/** Side effects of a running cell, published by the kernel on iopub/stdin with the request as parent. */
export interface ExecuteEvents {
  stream(name: "stdout" | "stderr", text: string): void;
  display(data: MimeBundle, metadata: Record<string, unknown>, displayId?: string): void;
  updateDisplay(displayId: string, data: MimeBundle, metadata: Record<string, unknown>): void;
  clearOutput(wait: boolean): void;
  /** Asks the frontend for a line of input; rejects when stdin is not allowed or the cell is interrupted. */
  requestInput(prompt: string, password: boolean): Promise<string>;
  /** Publishes comm traffic that code running for this request started (parented to the request). */
  comm?(
    msgType: "comm_open" | "comm_msg" | "comm_close",
    content: Record<string, unknown>,
    buffers?: Buffer[],
    metadata?: Record<string, unknown>,
  ): void;
}

/** Comm traffic from the frontend for cell code, without the request id (the executor assigns it). */
export type CommDelivery = CommToWorker extends infer E ? (E extends CommToWorker ? Omit<E, "id"> : never) : never;

export interface Executor {
  /** Runs one cell; never rejects (failures become an error outcome). Clears the interrupt flag first. */
  execute(job: ExecuteJob, events: ExecuteEvents): Promise<ExecuteOutcome>;
  complete(code: string, cursorPos: number): Promise<CompletionResult>;
  inspect(code: string, cursorPos: number, detailLevel: 0 | 1): Promise<InspectionResult>;
  isComplete(code: string): Promise<IsCompleteResult>;
  /** Interrupts the running cell (if any). */
  interrupt(): void;
  /**
   * Comm traffic from cell code (targets it registers, comms it opens, messages it sends), with the
   * events of the request it ran for when that request is still known.
   */
  onComm?(handler: (event: CommFromWorker, events?: ExecuteEvents) => void): void;
  /**
   * Delivers comm traffic from the frontend to cell code; output of its handlers goes to `events`.
   * Resolves when the handlers settled (at once when cell code is not running, e.g. not started).
   */
  sendComm?(event: CommDelivery, events: ExecuteEvents): Promise<void>;
  /** Resolves when cell code can register comm targets (the executor started and loaded). */
  whenReady?(): Promise<void>;
  /**
   * Stops the executor for good; resolves whether everything it ran has ended (false: something is
   * stuck in native code after `limitMs`, and only ending the process stops it).
   */
  close(limitMs?: number): Promise<boolean>;
}
