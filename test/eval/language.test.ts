import { afterAll, beforeAll, describe, expect, test } from "vitest";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createCellEvaluator } from "../../src/eval/index.js";
import { lib } from "./fixtures/resident.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const cwd = path.join(here, "fixtures");
const ev = createCellEvaluator({
  cwd,
  residents: [{ name: "lib", value: lib, typesFrom: `${path.join(cwd, "resident.d.ts")}#lib` }],
  interruptFlag: new Int32Array(new SharedArrayBuffer(4)),
});
beforeAll(async () => {
  await ev.warmUp();
  const r = await ev.execute(
    '/** Radius of the unit circle. */\nconst radius = 1;\nclass Circle {\n  /** Area of the circle. */\n  area(): number { return Math.PI; }\n  perimeter(): number { return 2 * Math.PI; }\n}\nconst circle = new Circle();\nimport { add } from "cjs-fixture";',
  );
  if (r.status !== "ok") throw new Error(r.traceback.join("\n"));
});
afterAll(() => ev.dispose?.());

describe("complete", () => {
  test("members of a resident after a dot, replacing the typed prefix", async () => {
    const code = "lib.sc";
    const r = await ev.complete(code, code.length);
    expect(r.matches).toEqual(["scale"]);
    expect(r).toMatchObject({ cursorStart: 4, cursorEnd: 6 });
    expect(r.types?.[0]).toMatchObject({ text: "scale", type: "function" });
  });

  test("members of a class instance declared in an earlier cell", async () => {
    const r = await ev.complete("circle.", 7);
    expect(r.matches).toEqual(expect.arrayContaining(["area", "perimeter"]));
    expect(r).toMatchObject({ cursorStart: 7, cursorEnd: 7 });
  });

  test("globals from earlier cells, imports, locals and keywords", async () => {
    expect((await ev.complete("rad", 3)).matches).toContain("radius");
    expect((await ev.complete("ad", 2)).matches).toContain("add");
    expect((await ev.complete("const localName = 1;\nlocalN", 27)).matches).toEqual(["localName"]);
    expect((await ev.complete("retu", 4)).matches).toContain("return");
    expect((await ev.complete("Mat", 3)).matches[0]).toBe("Math");
  });

  test("the cursor in the middle of the code", async () => {
    const code = "Math.fl + 1";
    const r = await ev.complete(code, 7);
    expect(r.matches).toContain("floor");
    expect(r).toMatchObject({ cursorStart: 5, cursorEnd: 7 });
  });

  test("nothing to complete gives an empty list", async () => {
    expect((await ev.complete("zzzqqq", 6)).matches).toEqual([]);
  });
});

describe("inspect", () => {
  test("signature and doc comment of a resident's method", async () => {
    const r = await ev.inspect("lib.scale(2)", 6, 0);
    expect(r.found).toBe(true);
    expect(r.text).toContain("scale(x: number): number");
    expect(r.text).toContain("Scales a number.");
    expect(r.markdown).toContain("```typescript\n(method) scale(x: number): number\n```");
  });

  test("a declaration from an earlier cell, cursor at the end of the name", async () => {
    const r = await ev.inspect("circle.area", 11, 1);
    expect(r.text).toContain("area(): number");
    expect(r.text).toContain("Area of the circle.");
    expect((await ev.inspect("radius", 6, 0)).text).toContain("Radius of the unit circle.");
  });

  test("inside call parentheses shows the called signature", async () => {
    const r = await ev.inspect("add(1, ", 7, 0);
    expect(r.found).toBe(true);
    expect(r.text).toContain("add(a: number, b: number): number");
  });

  test("nothing there", async () => {
    expect((await ev.inspect("   ", 1, 0)).found).toBe(false);
  });
});

describe("isComplete", () => {
  test.each([
    ["const a = 1", "complete"],
    ["f(", "incomplete"],
    ["const o = {\n  a: [1,", "incomplete"],
    ["`template ${x", "incomplete"],
    ["`unclosed template", "incomplete"],
    ["'unclosed string", "incomplete"],
    ["/* open comment", "incomplete"],
    ["x = 1 +", "incomplete"],
    ["const r = /ab+c/g", "complete"],
    ["const d = a / b", "complete"],
    ["}", "invalid"],
    ["(]", "invalid"],
    ["const = 5;", "invalid"],
    ["if (ready)", "incomplete"],
    ["class A extends", "incomplete"],
    ["let x = 1 1", "invalid"],
  ])("%j is %s", async (code, status) => {
    expect((await ev.isComplete(code)).status).toBe(status);
  });

  test("the indent follows the open brackets", async () => {
    expect((await ev.isComplete("for (;;) {\n  if (x) {")).indent).toBe("    ");
  });
});
