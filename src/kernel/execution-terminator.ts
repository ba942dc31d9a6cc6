/**
 * Stops the JavaScript a worker thread is running without ending the thread, so that the thread's
 * realm (every variable a notebook defined) survives. This is V8's TerminateExecution, reached
 * through the in-process inspector: the main thread's session attaches to the worker (NodeWorker
 * domain) and sends `Runtime.terminateExecution`, which V8 honours even inside a catastrophic
 * regular expression or `Atomics.wait`, and lifts again once the worker's stack has unwound. No
 * port is opened. Native code (an addon call, a synchronous child process) is not stopped: the
 * termination takes effect when it returns to JavaScript.
 */
import type { Session as InspectorSession } from "node:inspector";
import type { Worker } from "node:worker_threads";

type Session = InspectorSession;

interface InspectorReply {
  id?: number;
  error?: { message?: string };
}

/**
 * ```ts
 * const terminator = await ExecutionTerminator.create();
 * if (terminator) await terminator.terminate(worker); // resolves once the worker's stack has unwound
 * ```
 */
export class ExecutionTerminator {
  /** Inspector session id of each attached worker, by thread id. */
  private readonly attached = new Map<string, string>();
  private readonly attachWaiters = new Map<string, (sessionId: string) => void>();
  private readonly replies = new Map<number, (reply: InspectorReply | undefined) => void>();
  private nextId = 1;
  private enabled: Promise<void> | undefined;

  private constructor(private readonly session: Session) {
    session.on("NodeWorker.attachedToWorker", (m: { params: { sessionId: string; workerInfo: { title: string } } }) => {
      // The inspector numbers workers its own way; the title, "[worker <threadId>] …", names the thread.
      const threadId = /^\[worker (\d+)\]/.exec(m.params.workerInfo.title)?.[1];
      if (threadId === undefined) return;
      this.attached.set(threadId, m.params.sessionId);
      this.attachWaiters.get(threadId)?.(m.params.sessionId);
      this.attachWaiters.delete(threadId);
    });
    session.on("NodeWorker.detachedFromWorker", (m: { params: { sessionId: string } }) => {
      for (const [threadId, sessionId] of this.attached)
        if (sessionId === m.params.sessionId) this.attached.delete(threadId);
    });
    session.on("NodeWorker.receivedMessageFromWorker", (m: { params: { message: string } }) => {
      let reply: InspectorReply;
      try {
        reply = JSON.parse(m.params.message) as InspectorReply;
      } catch {
        return;
      }
      if (reply.id === undefined) return;
      this.replies.get(reply.id)?.(reply);
      this.replies.delete(reply.id);
    });
  }

  /** A terminator, or undefined when this Node.js has no inspector (then threads can only be ended). */
  static async create(): Promise<ExecutionTerminator | undefined> {
    if (!process.features.inspector) return undefined;
    try {
      const { Session } = await import("node:inspector");
      const session = new Session();
      session.connect();
      return new ExecutionTerminator(session);
    } catch {
      return undefined;
    }
  }

  /**
   * Terminates the JavaScript running in `worker`. Resolves true once its stack has unwound (at
   * once when it was idle), false when the worker went away first or could not be reached within
   * `attachTimeoutMs`. While the worker is inside native code this stays pending until it returns.
   * `prepare`, when given, is an expression evaluated in the worker just before (on top of the
   * stuck code's stack).
   */
  async terminate(worker: Worker, prepare?: string, attachTimeoutMs = 5000): Promise<boolean> {
    const sessionId = await this.sessionOf(worker, attachTimeoutMs);
    if (sessionId === undefined) return false;
    if (prepare !== undefined) {
      // Sent ahead of the termination, so the worker runs it first; its reply is not awaited.
      this.session.post("NodeWorker.sendMessageToWorker", {
        sessionId,
        message: JSON.stringify({
          id: this.nextId++,
          method: "Runtime.evaluate",
          params: { expression: prepare, silent: true, returnByValue: true },
        }),
      });
    }
    const id = this.nextId++;
    const reply = new Promise<InspectorReply | undefined>((resolve) => this.replies.set(id, resolve));
    const onExit = () => this.replies.get(id)?.(undefined);
    worker.once("exit", onExit);
    this.session.post("NodeWorker.sendMessageToWorker", {
      sessionId,
      message: JSON.stringify({ id, method: "Runtime.terminateExecution" }),
    });
    const r = await reply;
    worker.off("exit", onExit);
    this.replies.delete(id);
    return r !== undefined && r.error === undefined;
  }

  private async sessionOf(worker: Worker, timeoutMs: number): Promise<string | undefined> {
    const threadId = String(worker.threadId);
    const known = this.attached.get(threadId);
    if (known) return known;
    const attached = new Promise<string | undefined>((resolve) => {
      this.attachWaiters.set(threadId, resolve);
      setTimeout(() => {
        this.attachWaiters.delete(threadId);
        resolve(undefined);
      }, timeoutMs).unref();
    });
    // Enabling attaches to every running worker (and to those started later).
    this.enabled ??= new Promise((resolve, reject) =>
      this.session.post("NodeWorker.enable", { waitForDebuggerOnStart: false }, (e) => (e ? reject(e) : resolve())),
    );
    try {
      await this.enabled;
    } catch {
      this.enabled = undefined;
      return undefined;
    }
    return this.attached.get(threadId) ?? attached;
  }

  close(): void {
    for (const resolve of this.replies.values()) resolve(undefined);
    this.replies.clear();
    this.session.disconnect();
  }
}
