/**
 * The type policy (src/eval/cell-mode.ts): JavaScript cells are refused only for certain run-time
 * failures, TypeScript cells are checked with TypeScript's default options, strict checking is
 * opted into per cell or per notebook, and cells of every mode see each other's declarations.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { createCellEvaluator, type CellResult } from "../../src/eval/index.js";
import { cellMode, usesTypeScriptSyntax } from "../../src/eval/cell-mode.js";
import { lib } from "./fixtures/resident.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const cwd = path.join(here, "fixtures");
const ev = createCellEvaluator({
  cwd,
  residents: [{ name: "lib", value: lib, typesFrom: `${path.join(cwd, "resident.d.ts")}#lib` }],
  interruptFlag: new Int32Array(new SharedArrayBuffer(4)),
});
beforeAll(() => ev.warmUp());
afterAll(() => ev.dispose?.());
afterEach(() => {
  delete process.env.DEEPTS_TYPECHECK;
});

type ErrorResult = Extract<CellResult, { status: "error" }>;

async function refused(code: string): Promise<ErrorResult> {
  const r = await ev.execute(code);
  if (r.status !== "error") throw new Error(`expected ${JSON.stringify(code)} to be refused; it ran`);
  expect(r.ename).toBe("CompileError");
  return r;
}

async function runs(code: string): Promise<unknown> {
  const r = await ev.execute(code);
  if (r.status !== "ok") throw new Error(`cell failed: ${r.ename}: ${r.evalue}\n${r.traceback.join("\n")}`);
  return r.value;
}

describe("JavaScript cells run unless they certainly fail", () => {
  test("untyped parameters and classes whose fields come from `this.x =` assignments", async () => {
    const program = [
      "class ReplayMemory {",
      "  constructor(maxLen) {",
      "    this.maxLen = maxLen;",
      "    this.buffer = [];",
      "  }",
      "  append(item) {",
      "    this.buffer.push(item);",
      "    if (this.buffer.length > this.maxLen) this.buffer.shift();",
      "  }",
      "}",
      "function fill(memory, n) { for (let i = 0; i < n; i++) memory.append({ i }); return memory; }",
      "const memory = fill(new ReplayMemory(3), 5);",
      "memory.buffer.map((b) => b.i)",
    ].join("\n");
    expect(await runs(program)).toEqual([2, 3, 4]);
  });

  test("a value used as one member of its union type (what TF.js's predict() returns)", async () => {
    await runs("function pick(flag: boolean): number | number[] { return flag ? 2.5 : [1]; }");
    expect(await runs("pick(true).toFixed(1)")).toBe("2.5");
    // The same line in a TypeScript cell is refused, as TypeScript does.
    const r = await refused("const shown: string = pick(true).toFixed(1);");
    expect(r.diagnostics?.[0]?.code).toBe(2339);
  });

  test("a JSDoc type that names nothing, and arguments TypeScript would not accept", async () => {
    expect(await runs("/** @param {Tensor} x */\nfunction twice(x) { return x * 2; }\ntwice('3')")).toBe(6);
    expect(await runs("lib.scale('4')")).toBe(8);
  });

  test("a misspelled name read at the top level is refused, with a suggestion", async () => {
    const r = await refused("const ready = 1;\nconsle.log(ready);");
    expect(r.diagnostics).toEqual([
      expect.objectContaining({
        line: 2,
        column: 1,
        code: 2552,
        message: "Cannot find name 'consle'. Did you mean 'console'?",
      }),
    ]);
    expect(await runs("typeof ready")).toBe("undefined");
    expect((await refused("undefinedThing + 1")).diagnostics?.[0]).toMatchObject({ code: 2304, line: 1, column: 1 });
  });

  test("a browser page's globals are refused with what to do in a kernel instead (JavaScript and TypeScript)", async () => {
    const js = await refused("async function run() { return 1; }\ndocument.addEventListener('DOMContentLoaded', run);");
    expect(js.diagnostics?.[0]).toMatchObject({ line: 2, code: 2304 });
    expect(js.diagnostics?.[0].message).toMatch(
      /^Cannot find name 'document'\. \(a kernel has no web page: .*await run\(\);/,
    );
    const typed = await refused("const width: number = window.innerWidth;");
    expect(typed.diagnostics?.[0].message).toBe(
      "Cannot find name 'window'. (a kernel has no browser window: its global object is `globalThis`)",
    );
  });

  test("names that may be defined by the time they run are not refused", async () => {
    // Inside a function, a branch, a try block, after && or ?., or under typeof.
    expect(await runs("function later() { return notYetDefined; }\ntypeof later")).toBe("function");
    expect(await runs("if (false) missingA();\nfalse && missingB;\nnull?.[missingC];\ntypeof missingD")).toBe(
      "undefined",
    );
    expect(await runs("try { missingE; } catch (e) { 'caught' }")).toBe(undefined);
    // Defined through globalThis earlier in the same cell (the name appears in a string).
    expect(await runs('globalThis["madeLater"] = 7;\nmadeLater')).toBe(7);
    // Defined by an earlier cell in a way no declaration shows.
    await runs("Object.assign(globalThis, { fromAssign: 3 });");
    expect(await runs("fromAssign * 2")).toBe(6);
  });

  test("// @ts-check makes every JavaScript diagnostic count", async () => {
    const r = await refused("// @ts-check\nconst someText = 'a';\nsomeText.notAMethod();");
    expect(r.diagnostics?.[0]).toMatchObject({ code: 2339, line: 3, column: 10 });
  });
});

describe("TypeScript cells are checked with TypeScript's default (non-strict) options", () => {
  test("implicit any and null assignments are accepted", async () => {
    expect(await runs("function loose(a, b) { return a + b; }\nconst sumLoose: number = loose(1, 2);\nsumLoose")).toBe(
      3,
    );
    expect(await runs("let maybe: string = null;\nmaybe")).toBe(null);
  });

  test("type errors refuse the cell, at their line and column", async () => {
    const r = await refused("const n1: number = 1;\nconst s1: string = n1;");
    expect(r.diagnostics?.[0]).toMatchObject({ line: 2, column: 7, code: 2322 });
  });

  test("// @ts-strict makes one cell strict", async () => {
    const r = await refused("// @ts-strict\nfunction strictOne(a) { return a; }");
    expect(r.diagnostics?.[0]).toMatchObject({ code: 7006, line: 2 });
    expect(await runs("function relaxedOne(a) { return a; }\nrelaxedOne(2)")).toBe(2);
  });

  test("DEEPTS_TYPECHECK=strict makes every cell strict TypeScript, =off turns checking off", async () => {
    await runs('process.env.DEEPTS_TYPECHECK = "strict";');
    expect((await refused("function strictTwo(a) { return a; }")).diagnostics?.[0]?.code).toBe(7006);
    process.env.DEEPTS_TYPECHECK = "off";
    expect(await runs("const unchecked: number = 'text';\nunchecked")).toBe("text");
  });
});

describe("cells of every mode see each other's declarations", () => {
  test("a TypeScript cell uses a JavaScript class, whose fields come from `this.x =`", async () => {
    await runs(
      "class Agent {\n  constructor(n) { this.steps = n; this.name = 'a'; }\n  act() { return this.steps * 2; }\n}",
    );
    expect(
      await runs("const agent: Agent = new Agent(3);\nconst acted: number = agent.act() + agent.steps;\nacted"),
    ).toBe(9);
    const r = await refused("const wrongName: number = new Agent(1).nmae;");
    expect(r.diagnostics?.[0]?.message).toContain("'nmae' does not exist on type 'Agent'");
  });

  test("a JavaScript cell uses TypeScript declarations, and a nocheck cell's too", async () => {
    await runs("interface Point { x: number }\nfunction norm(p: Point): number { return Math.abs(p.x); }");
    expect(await runs("norm({ x: -4 })")).toBe(4);
    await runs("// @ts-nocheck\nclass Loose { constructor() { this.v = 5; } }");
    expect(await runs("const looseV: number = new Loose().v;\nlooseV")).toBe(5);
  });
});

describe("which cells are TypeScript", () => {
  // The oracle: what TypeScript itself reports as "… can only be used in TypeScript files" for a .js file.
  function typescriptOnlyPerTypeScript(code: string): boolean {
    const name = "/cell.js";
    const sf = ts.createSourceFile(name, code, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS);
    const host: ts.CompilerHost = {
      getSourceFile: (f) => (f === name ? sf : undefined),
      getDefaultLibFileName: () => "/lib.d.ts",
      writeFile: () => {},
      getCurrentDirectory: () => "/",
      getCanonicalFileName: (f) => f,
      useCaseSensitiveFileNames: () => true,
      getNewLine: () => "\n",
      fileExists: (f) => f === name,
      readFile: () => undefined,
    };
    const program = ts.createProgram({
      rootNames: [name],
      options: { noLib: true, allowJs: true, noResolve: true, types: [] },
      host,
    });
    return program.getSyntacticDiagnostics(sf).length > 0;
  }

  test.each([
    "const x = 1; function f(a, b = 2, ...rest) { return a; }",
    "class A extends Object { static #p = 1; x = 2; get y() { return 1; } static { } }",
    "const o = { a: 1, ...b }; o?.a ?? c; a ||= 1; label: for (;;) break label;",
    "for await (const v of it) {} await 1; import('m');",
    "import d, { n as m } from 'p'; export const z = 1; export default function () {}",
    "let x: number = 1;",
    "const y = x as any;",
    "x!.y",
    "interface A { k: number }",
    "type T = string;",
    "enum E { A }",
    "namespace N {}",
    "class A { private x = 1 }",
    "class A implements B {}",
    "abstract class A {}",
    "function f(a?) {}",
    "class K { x?: number; y!: string }",
    "import type { A } from 'b';",
    "import { type A } from 'b';",
    "declare const dx: number;",
    "a satisfies B;",
    "function g<T>(x) { return x; }",
    "const h = (x): number => x;",
    "function over(a);\nfunction over(a) {}",
    "class P { constructor(public v) {} }",
    "import fs = require('fs');",
  ])("%s", (code) => {
    expect(usesTypeScriptSyntax(ts, code)).toBe(typescriptOnlyPerTypeScript(code));
  });

  test("type arguments, which JavaScript reads as comparisons, make a cell TypeScript", () => {
    expect(usesTypeScriptSyntax(ts, "tf.buffer<tf.Rank.R3>([2, 2, 2])")).toBe(true);
    expect(usesTypeScriptSyntax(ts, "<any>x")).toBe(true);
    expect(usesTypeScriptSyntax(ts, "a < b > c")).toBe(false);
  });

  test("directives in the opening comment lines and the notebook setting", () => {
    expect(cellMode(ts, "// a note\n// @ts-strict\nf(1)").mode).toBe("strict");
    expect(cellMode(ts, "f(1)\n// @ts-strict").mode).toBe("javascript");
    expect(cellMode(ts, "f(1)", "strict").mode).toBe("strict");
    expect(cellMode(ts, "// @ts-nocheck\nlet x: number = 1;", "strict").mode).toBe("off");
    expect(cellMode(ts, "let x: number = 1;", "off").mode).toBe("off");
    expect(cellMode(ts, "// @ts-check\nf(1)")).toMatchObject({ mode: "javascript", checkAll: true });
  });
});
