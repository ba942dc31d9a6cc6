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
}

export interface Executor {
  /** Runs one cell; never rejects (failures become an error outcome). Clears the interrupt flag first. */
  execute(job: ExecuteJob, events: ExecuteEvents): Promise<ExecuteOutcome>;
  complete(code: string, cursorPos: number): Promise<CompletionResult>;
  inspect(code: string, cursorPos: number, detailLevel: 0 | 1): Promise<InspectionResult>;
  isComplete(code: string): Promise<IsCompleteResult>;
  /** Interrupts the running cell (if any). */
  interrupt(): void;
  /** Comm traffic from cell code (targets it registers, comms it opens, messages it sends). */
  onComm?(handler: (event: CommFromWorker) => void): void;
  /** Delivers comm traffic from the frontend to cell code. */
  sendComm?(event: CommToWorker): void;
  /**
   * Stops the executor for good; resolves whether everything it ran has ended (false: something is
   * stuck in native code after `limitMs`, and only ending the process stops it).
   */
  close(limitMs?: number): Promise<boolean>;
}
