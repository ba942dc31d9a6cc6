/**
 * The last word on syntax: V8 compiles the cell's generated script without running it. It
 * rejects what TypeScript's parser lets through because cells run in strict mode (`let = 5`,
 * `with`, `delete x`, octal escapes …). The error is placed in the cell through the source map.
 */
import type { SourceMap } from "node:module";
import vm from "node:vm";
import type { SyntaxProblem } from "./transform.js";

export function engineSyntaxError(js: string, map: SourceMap | undefined, code: string): SyntaxProblem | undefined {
  const fileName = "__deepts_syntax_check.js";
  try {
    new vm.Script(js, { filename: fileName });
    return undefined;
  } catch (err) {
    if (!(err instanceof SyntaxError)) return undefined;
    // V8's stack starts with "file:line", the source line and a caret under the offending token.
    const [where = "", , caret = ""] = (err.stack ?? "").split("\n");
    const m = new RegExp(`^${fileName.replace(/\./g, "\\.")}:(\\d+)$`).exec(where);
    let line = 1;
    let column = 1;
    if (m) {
      const jsLine = Number(m[1]);
      const jsColumn = Math.max(0, caret.indexOf("^"));
      const entry = map?.findEntry(jsLine - 1, jsColumn) as
        | { originalLine?: number; originalColumn?: number }
        | undefined;
      if (entry?.originalLine !== undefined) {
        line = entry.originalLine + 1;
        column = (entry.originalColumn ?? 0) + 1;
      }
    }
    let start = 0;
    for (let i = 1; i < line; i++) {
      const next = code.indexOf("\n", start);
      if (next < 0) break;
      start = next + 1;
    }
    return { start: Math.min(code.length, start + column - 1), message: err.message, code: 0 };
  }
}
