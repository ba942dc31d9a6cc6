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
