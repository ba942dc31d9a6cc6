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

/** Throws if an interrupt is pending (runs the installed check; a no-op when none is installed). */
export function checkInterrupt(): void {
  check?.();
}
