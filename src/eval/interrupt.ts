/** The error thrown into cell code when the kernel sets the interrupt flag. */
export class InterruptError extends Error {
  constructor(message = "Interrupted") {
    super(message);
    this.name = "InterruptError";
  }
}

/**
 * The check that instrumented cell code calls at every loop iteration and function entry.
 * `Atomics.load` is a call into the runtime (~25 ns), too slow for every iteration of a tight
 * loop, so the check reads the flag with a plain load (a few ns) and confirms with `Atomics.load`;
 * every 1024th call it also does the atomic load unconditionally, in case the optimizer kept a
 * stale plain load in a loop that touches nothing else.
 */
export function makeInterruptCheck(flag: Int32Array): () => void {
  let calls = 0;
  return () => {
    if (flag[0] !== 0 || (++calls & 1023) === 0) {
      if (Atomics.load(flag, 0) !== 0) throw new InterruptError();
    }
  };
}
