/**
 * Cooperative interruption. The Jupyter kernel installs a check that throws when the user presses
 * "interrupt"; long loops (e.g. `model.fit` between batches) call `checkInterrupt()`.
 */

let check: (() => void) | undefined;

/**
 * Installs (or removes, with `undefined`) the function `checkInterrupt` calls; it aborts by throwing.
 * Example: `tf.setInterruptCheck(() => { if (flag[0]) throw new Error("interrupted"); })`.
 */
export function setInterruptCheck(fn: (() => void) | undefined): void {
  check = fn;
}

let threadStop: SharedArrayBuffer | undefined;

/**
 * Shares a stop signal (two int32s) with the helper threads the runtime starts (the webgpu device
 * thread). A host that may hard-stop the thread running the runtime (the Jupyter kernel does, after
 * an ignored interrupt) sets word 0 first, then waits until word 1, the number of helper threads
 * inside native GPU work, is 0: Dawn aborts the whole process when a thread goes mid-work.
 */
export function setThreadStopSignal(signal: SharedArrayBuffer | undefined): void {
  threadStop = signal;
}

/** The stop signal set by `setThreadStopSignal`, if any. */
export function threadStopSignal(): SharedArrayBuffer | undefined {
  return threadStop;
}

let flag: Int32Array | undefined;
const flagListeners = new Set<(flag: Int32Array | undefined) => void>();

/**
 * Shares the host's interrupt flag (word 0 non-zero: interrupt pending) with native code. The
 * `native` backend's long operations (large matrix products, convolutions, recurrences) check it
 * between blocks of work and stop early; the op then throws through `checkInterrupt`.
 * Example: `tf.setInterruptFlag(new Int32Array(new SharedArrayBuffer(4)))`.
 */
export function setInterruptFlag(value: Int32Array | undefined): void {
  flag = value;
  for (const listener of flagListeners) listener(value);
}

/** Calls `listener` with the interrupt flag now and whenever it changes; returns a function that stops. */
export function watchInterruptFlag(listener: (flag: Int32Array | undefined) => void): () => void {
  flagListeners.add(listener);
  listener(flag);
  return () => flagListeners.delete(listener);
}

/** Throws if an interrupt is pending (runs the installed check; a no-op when none is installed). */
export function checkInterrupt(): void {
  check?.();
}
