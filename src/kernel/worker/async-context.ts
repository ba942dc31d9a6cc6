/**
 * Node's async-context bookkeeping across a forced stop (V8's TerminateExecution).
 *
 * A terminated callback never runs its closing steps, so Node's stack of async ids keeps the
 * entries of the callbacks that were cut short. While an AsyncLocalStorage is enabled (it installs
 * async hooks), Node checks at the end of every callback that this stack is empty and aborts the
 * whole process when it is not. So, just before the stop, the kernel runs `prepareForcedStop` in
 * the worker (through the inspector: the worker's own JavaScript is stuck), which disables every
 * AsyncLocalStorage the worker uses; after the stop, `clearAsyncIdStack` empties the stack in the
 * only way Node offers to JavaScript: Node clears it after an uncaught exception was handled. The
 * storages enable themselves again on their next `run`.
 */

const PREPARE_KEY = Symbol.for("deepts.prepareForcedStop");

/** What the kernel evaluates in the worker, through the inspector, just before a forced stop. */
export const PREPARE_FORCED_STOP_EXPRESSION = `globalThis[Symbol.for("deepts.prepareForcedStop")]?.()`;

/**
 * Installs what `PREPARE_FORCED_STOP_EXPRESSION` calls.
 *
 * ```ts
 * installForcedStopPreparation(() => requestContext.disable());
 * ```
 */
export function installForcedStopPreparation(disableStorages: () => void): void {
  Object.defineProperty(globalThis, PREPARE_KEY, { value: disableStorages, configurable: true });
}

/**
 * Empties Node's async-id stack after a forced stop; resolves once it is empty. No
 * AsyncLocalStorage may run until then. A capture callback the user installed
 * (`process.setUncaughtExceptionCaptureCallback`) sees the marker error instead of this module.
 *
 * ```ts
 * await clearAsyncIdStack();
 * ```
 */
export function clearAsyncIdStack(): Promise<void> {
  return new Promise((resolve) => {
    const marker = new Error("deepts: clearing Node's async context after a forced stop");
    if (!process.hasUncaughtExceptionCaptureCallback()) {
      process.setUncaughtExceptionCaptureCallback((e) => {
        process.setUncaughtExceptionCaptureCallback(null);
        if (e !== marker) process.emit("uncaughtException", e as Error);
      });
    }
    // Thrown from an immediate, the error reaches Node's handler directly, which then clears the
    // stack; one immediate later it is empty.
    setImmediate(() => {
      throw marker;
    });
    setImmediate(() => setImmediate(resolve));
  });
}
