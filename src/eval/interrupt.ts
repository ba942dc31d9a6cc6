/** The error thrown into cell code when the kernel sets the interrupt flag. */
export class InterruptError extends Error {
  constructor(message = "Execution interrupted") {
    super(message);
    this.name = "InterruptError";
  }
}

/** The check that instrumented cell code calls at every loop iteration and function entry. */
export function makeInterruptCheck(flag: Int32Array): () => void {
  return () => {
    if (Atomics.load(flag, 0) !== 0) throw new InterruptError();
  };
}
