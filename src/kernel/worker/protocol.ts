/** Messages between the kernel's main thread and its executor worker thread. */
import type { CompletionResult, InspectionResult, IsCompleteResult } from "../../eval/api.js";
import type { MimeBundle } from "../../display/sink.js";

export interface ErrorOutcome {
  status: "error";
  ename: string;
  evalue: string;
  traceback: string[];
}

export interface UserExpressionResult {
  status: "ok" | "error";
  data?: MimeBundle;
  metadata?: Record<string, unknown>;
  ename?: string;
  evalue?: string;
  traceback?: string[];
}

/** What a cell produced: its result bundle (when it had a value) or its error. */
export type ExecuteOutcome =
  | {
      status: "ok";
      result?: { data: MimeBundle; metadata: Record<string, unknown> };
      userExpressions: Record<string, UserExpressionResult>;
    }
  | (ErrorOutcome & { userExpressions: Record<string, UserExpressionResult> });

export interface ExecuteJob {
  code: string;
  /** Shown in tracebacks as `Cell In[n]`. */
  executionCount: number;
  silent: boolean;
  allowStdin: boolean;
  userExpressions: Record<string, string>;
}

/** Shared memory for synchronous `prompt()`: the worker waits on `state` while the main thread asks the frontend. */
export interface InputChannelBuffers {
  /** [0]: 0 = waiting, 1 = answered, 2 = refused/interrupted; [1]: byte length of the answer. */
  state: SharedArrayBuffer;
  data: SharedArrayBuffer;
}

export const INPUT_WAITING = 0;
export const INPUT_ANSWERED = 1;
export const INPUT_REFUSED = 2;

export interface WorkerInit {
  interruptFlag: SharedArrayBuffer;
  /** Given to the runtime (`setThreadStopSignal`): lets this thread be stopped safely while its GPU is busy. */
  threadStop: SharedArrayBuffer;
  input: InputChannelBuffers;
  cwd: string;
  maxOutputBytes: number;
}

/**
 * Comm traffic between the kernel (frontend side) and cell code (see comms.ts). `id` names the
 * request whose output a handler's console/display output belongs to: the kernel gives each comm
 * message from a frontend an id of its own (answered by `comm-handled` once its handlers settled);
 * traffic from cell code carries the id of the request it ran in (a cell's, or a comm message's).
 */
/** A comm opened by either side: its target, data, metadata (a widget's protocol version) and buffers. */
export interface CommOpenEvent {
  kind: "comm-open";
  id: number;
  commId: string;
  targetName: string;
  data: unknown;
  metadata: Record<string, unknown>;
  buffers: Uint8Array[];
}

export type CommToWorker =
  | CommOpenEvent
  | { kind: "comm-msg"; id: number; commId: string; data: unknown; buffers: Uint8Array[] }
  | { kind: "comm-close"; id: number; commId: string; data: unknown };

export type CommFromWorker =
  /** A new worker replaced a dead one: its comms and targets are gone. */
  { kind: "comm-reset" } | { kind: "comm-target"; targetName: string; registered: boolean } | CommToWorker;

export type ToWorker =
  | CommToWorker
  | { kind: "execute"; id: number; job: ExecuteJob }
  | { kind: "complete"; id: number; code: string; cursorPos: number }
  | { kind: "inspect"; id: number; code: string; cursorPos: number; detailLevel: 0 | 1 }
  | { kind: "is-complete"; id: number; code: string }
  | { kind: "interrupt" }
  /** The cell `id`'s JavaScript was terminated (its stack unwound without finally blocks): settle it. */
  | { kind: "forced-stop"; id: number };

export type FromWorker =
  | CommFromWorker
  | { kind: "ready"; warnings: string[] }
  | { kind: "stream"; id: number; name: "stdout" | "stderr"; text: string }
  | { kind: "display"; id: number; data: MimeBundle; metadata: Record<string, unknown>; displayId?: string }
  | { kind: "update-display"; id: number; data: MimeBundle; metadata: Record<string, unknown>; displayId: string }
  | { kind: "clear-output"; id: number; wait: boolean }
  | { kind: "input-request"; id: number; prompt: string; password: boolean }
  | { kind: "executed"; id: number; outcome: ExecuteOutcome }
  /** The cell's own code starts now (the kernel's loading is done): a cell time limit counts from here. */
  | { kind: "cell-running"; id: number }
  /** The handlers of a comm message from the frontend settled. */
  | { kind: "comm-handled"; id: number }
  | { kind: "completed"; id: number; result: CompletionResult }
  | { kind: "inspected"; id: number; result: InspectionResult }
  | { kind: "is-completed"; id: number; result: IsCompleteResult }
  | { kind: "failed"; id: number; message: string };

/** The evalue of a cell that was stopped forcibly (see ExecutionTerminator). */
export const FORCED_STOP_MESSAGE =
  "Execution interrupted: the cell did not reach an interrupt check (it was inside a regular expression, " +
  "Atomics.wait, a library call or a long native operation), so it was stopped where it was. " +
  "Your variables are kept; an operation it was in the middle of may be incomplete.";

/** Told once per cell when a forced stop waits on native code. */
export const CANNOT_STOP_NOTICE =
  "[deepts] The cell is inside a native call that cannot be interrupted (for example a synchronous child process, " +
  "a blocking file read or a library's native code); child processes of the kernel were sent SIGINT. " +
  "The cell stops as soon as that call returns, and your variables are kept. " +
  "To stop it now, restart the kernel (that loses the variables).\n";
