/**
 * JavaScript engine errors that say little to a student, with what they mean added in plain words
 * ("Array buffer allocation failed" is an out-of-memory error). The original message stays first.
 */
const HINTS: readonly [RegExp, string][] = [
  [/^Array buffer allocation failed$/, "out of memory: the machine could not give this array that much memory"],
  [/^Invalid typed array length: \d+$/, "more than the 4,294,967,296 elements one typed array may hold"],
  [/^Invalid array length$/, "more than the 4,294,967,295 elements an array may hold"],
  [/^Invalid string length$/, "longer than the longest string JavaScript can hold (about 512 million characters)"],
  [/^Maximum call stack size exceeded$/, "a function called itself too deeply, probably without end"],
];

/**
 * The error message with its plain-words meaning, when it is one of the engine's terse ones.
 *
 * ```ts
 * explainMessage("RangeError", "Array buffer allocation failed");
 * // "Array buffer allocation failed (out of memory: the machine could not give this array that much memory)"
 * ```
 */
export function explainMessage(ename: string, message: string): string {
  if (ename !== "RangeError") return message;
  const hint = HINTS.find(([pattern]) => pattern.test(message))?.[1];
  return hint ? `${message} (${hint})` : message;
}

/** Names a browser page has and a kernel does not, with what to do instead. */
const PAGE_ONLY: Record<string, string> = {
  document:
    "a kernel has no web page: call the program's entry function yourself (e.g. `await run();` instead of `document.addEventListener('DOMContentLoaded', run)`)",
  window: "a kernel has no browser window: its global object is `globalThis`",
  localStorage:
    "a kernel has no browser storage: save models with `model.save('localstorage://name')`, data with Node's `fs`",
  sessionStorage: "a kernel has no browser storage: keep values in variables, or files with Node's `fs`",
  navigator: "a kernel has no browser: `require('os')` tells the machine's cores and platform",
  alert: "a kernel has no browser dialogs: print with `console.log`",
  requestAnimationFrame: "a kernel draws no frames: `await tf.nextFrame()` lets output through in a loop",
};

/**
 * What a cell that reads a browser page's global can do instead, or undefined for other names.
 *
 * ```ts
 * missingNameHint("window"); // "a kernel has no browser window: its global object is `globalThis`"
 * ```
 */
export function missingNameHint(name: string): string | undefined {
  return Object.hasOwn(PAGE_ONLY, name) ? PAGE_ONLY[name] : undefined;
}
