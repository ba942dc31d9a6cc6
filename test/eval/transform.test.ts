import { describe, expect, test } from "vitest";
import ts from "typescript";
import { RUNTIME_NAMES, transformCell } from "../../src/eval/transform.js";

const transform = (code: string) => transformCell(ts, code, "cell-t.ts");
const checks = (js: string) => js.split(`${RUNTIME_NAMES.check}()`).length - 1;

describe("transformCell", () => {
  test("reports the names a cell declares at top level, and only those", () => {
    const out = transform(
      [
        'import d, { a as b, type T } from "m";',
        'import * as ns from "n";',
        "const { x, y: [z = 1, ...rest] } = obj;",
        "let u;",
        "var w = 1;",
        "function f() { var insideFunction = 1; }",
        "class K {}",
        "enum E { A }",
        "interface I {}",
        "type Alias = number;",
        "for (var i = 0; i < 1; i++) { let blockLocal = i; }",
        "for (const element of []) {}",
      ].join("\n"),
    );
    expect(out.syntaxErrors).toEqual([]);
    expect(new Set(out.declaredNames)).toEqual(
      new Set(["d", "b", "ns", "x", "z", "rest", "u", "w", "f", "K", "E", "i"]),
    );
  });

  test("the last expression statement becomes the value", () => {
    expect(transform("1 + 1").hasLastExpression).toBe(true);
    expect(transform("const a = 1;\na;").hasLastExpression).toBe(true);
    expect(transform("const a = 1;").hasLastExpression).toBe(false);
    expect(transform("a;\nif (a) {}").hasLastExpression).toBe(false);
    expect(transform("'a string'").hasLastExpression).toBe(true);
  });

  test("the output is a script: no import/export statements, one async wrapper", () => {
    const out = transform('import x from "m";\nexport const y = await x;\nexport default y;');
    expect(out.js).not.toMatch(/^\s*(import|export)\b/m);
    expect(out.js.trim()).toMatch(/^\(async \(\) => \{[\s\S]*\}\)\(\);$/);
    expect(out.js).toContain(`await ${RUNTIME_NAMES.importModule}("m")`);
  });

  test("every loop and every function body gets an interrupt check", () => {
    const code = [
      "for (;;) {}",
      "while (true) {}",
      "do {} while (false);",
      "for (const k in {}) {}",
      "for (const v of []) {}",
      "function f() {}",
      "const g = () => 1;",
      "const h = function () {};",
      "class C { constructor() {} m() {} get p() { return 1; } set p(v) {} }",
      "const o = { m() {} };",
    ].join("\n");
    // 5 loops, 3 functions, 4 class members, 1 object method.
    expect(checks(transform(code).js)).toBe(5 + 3 + 4 + 1);
  });

  test("a directive prologue stays first in a function", () => {
    const js = transform('function f() { "use strict"; return 1; }').js;
    expect(js).toMatch(/"use strict";\s*__deepts_check\(\);/);
  });

  test("dynamic import() and import.meta are routed to the evaluator's helpers", () => {
    const js = transform('const m = await import("node:os");\nconst u = import.meta.url;').js;
    expect(js).toContain(`${RUNTIME_NAMES.importModule}("node:os")`);
    expect(js).toContain(`${RUNTIME_NAMES.importMeta}.url`);
  });

  test("syntax errors come with their offset", () => {
    const out = transform("const ok = 1;\nconst bad = (;");
    expect(out.syntaxErrors).toHaveLength(1);
    expect(out.syntaxErrors[0]).toMatchObject({ start: 27, code: 1109 });
  });

  test("a source map is produced for the generated script", () => {
    const map = JSON.parse(transform("const a: number = 1;\na").sourceMap) as { mappings: string };
    expect(map.mappings.length).toBeGreaterThan(0);
  });
});
