/**
 * Completion from live values, for the seconds after start while the language service is still
 * being built: `Math.ab|` lists the properties of `Math`, `tf.layers.de|` those of `tf.layers`,
 * `Mat|` the globals. Only a plain dotted name before the cursor is looked at (no calls, no
 * brackets), so nothing of the user's code runs; anything else gets no answer here.
 */
import type { CompletionResult } from "./api.js";

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

export function completeFromRuntime(
  code: string,
  cursorPos: number,
  scope: object = globalThis,
): CompletionResult | undefined {
  const pos = Math.max(0, Math.min(Number.isFinite(cursorPos) ? Math.floor(cursorPos) : code.length, code.length));
  let start = pos;
  while (start > 0 && /[\w$]/.test(code[start - 1]!)) start--;
  const prefix = code.slice(start, pos);
  let target: unknown = scope;
  if (code[start - 1] === ".") {
    const chain = /(?:^|[^\w$.\])'"`])((?:[A-Za-z_$][\w$]*\.)+)$/.exec(code.slice(0, start));
    if (!chain) return undefined;
    for (const name of chain[1]!.slice(0, -1).split(".")) {
      if (target === null || target === undefined) return undefined;
      try {
        target = (target as Record<string, unknown>)[name];
      } catch {
        return undefined;
      }
    }
    if (target === null || target === undefined) return undefined;
  } else if (prefix === "" || /[\w$]/.test(code[start - 1] ?? "")) return undefined;
  const names = propertyNames(target, target === scope);
  const lower = prefix.toLowerCase();
  const matches = [...names]
    .filter((n) => n.toLowerCase().startsWith(lower))
    .sort((a, b) => Number(!a.startsWith(prefix)) - Number(!b.startsWith(prefix)) || a.localeCompare(b));
  if (matches.length === 0) return undefined;
  return { matches, cursorStart: start, cursorEnd: pos };
}

/** String keys of a value and its prototypes, without Object.prototype's (unless it is the scope). */
function propertyNames(value: unknown, isScope: boolean): Set<string> {
  const out = new Set<string>();
  let obj: unknown = typeof value === "object" || typeof value === "function" ? value : Object(value);
  for (let depth = 0; obj !== null && obj !== undefined && depth < 16; depth++) {
    if (obj === Object.prototype && !isScope) break;
    if (obj === Function.prototype && depth > 0) break;
    for (const key of Object.getOwnPropertyNames(obj)) {
      if (IDENTIFIER.test(key) && !key.startsWith("__") && key !== "constructor") out.add(key);
    }
    obj = Object.getPrototypeOf(obj);
  }
  return out;
}
