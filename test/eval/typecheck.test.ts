import { afterAll, beforeAll, describe, expect, test } from "vitest";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createCellEvaluator, type CellResult } from "../../src/eval/index.js";
import { lib } from "./fixtures/resident.js";
import * as shapes from "./fixtures/shapes.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const cwd = path.join(here, "fixtures");
const ev = createCellEvaluator({
  cwd,
  residents: [
    { name: "lib", value: lib, typesFrom: `${path.join(cwd, "resident.d.ts")}#lib` },
    { name: "nodePath", value: path, typesFrom: "node:path" },
    { name: "shapes", value: shapes, typesFrom: path.join(cwd, "shapes.d.ts") },
    { name: "Circle", value: shapes.Circle, typesFrom: `${path.join(cwd, "shapes.d.ts")}#Circle` },
  ],
  interruptFlag: new Int32Array(new SharedArrayBuffer(4)),
});
beforeAll(() => ev.warmUp());
afterAll(() => ev.dispose?.());

type ErrorResult = Extract<CellResult, { status: "error" }>;

async function failing(code: string): Promise<ErrorResult> {
  const r = await ev.execute(code);
  if (r.status !== "error")
    throw new Error(`expected an error from ${JSON.stringify(code)}, got value ${String(r.value)}`);
  return r;
}

async function value(code: string, opts?: { typeCheck?: boolean }): Promise<unknown> {
  const r = await ev.execute(code, opts);
  if (r.status !== "ok") throw new Error(`cell failed: ${r.ename}: ${r.evalue}\n${r.traceback.join("\n")}`);
  return r.value;
}

describe("type errors are reported before running, at the cell's line and column", () => {
  test("an assignment of the wrong type", async () => {
    const r = await failing("let ran = 1;\nconst wrong: number = 'text';");
    expect(r.ename).toBe("CompileError");
    expect(r.diagnostics).toEqual([
      expect.objectContaining({
        line: 2,
        column: 7,
        code: 2322,
        message: "Type 'string' is not assignable to type 'number'.",
      }),
    ]);
    expect(r.evalue).toBe("line 2:col 7 - error TS2322: Type 'string' is not assignable to type 'number'.");
    expect(r.traceback.join("\n")).toContain("----> 2 const wrong: number = 'text';");
    // Nothing of the cell ran.
    expect(await value("typeof ran", { typeCheck: false })).toBe("undefined");
  });

  test("types of earlier cells' declarations are known", async () => {
    await value("const count = 3;\nfunction greet(name: string) { return `hi ${name}`; }");
    const r = await failing("const greeting: string = greet(count);");
    expect(r.diagnostics?.[0]).toMatchObject({ line: 1, column: 32, code: 2345 });
    expect(await value("greet(String(count))")).toBe("hi 3");
  });

  test("a const from an earlier cell cannot be assigned", async () => {
    await value("const fixed = 1;");
    expect((await failing("fixed = 2 as number;")).diagnostics?.[0]?.code).toBe(2588);
  });

  test("declaring a name again replaces the old declaration's type", async () => {
    await value("let shape = { w: 1 };");
    await value("let shape = 'square';");
    expect(await value("shape.toUpperCase()")).toBe("SQUARE");
    await value("interface Pet { legs: number }");
    await value("interface Pet { name: string }");
    expect(await value("const cat: Pet = { name: 'Tom' }; cat.name")).toBe("Tom");
    expect((await failing("const dog: Pet = { legs: 4 };")).diagnostics?.[0]?.code).toBe(2353);
  });

  test("re-running the same cell does not report redeclaration", async () => {
    const cell = "const rerun = [1, 2];\nclass Box { v = 1 }\nenum Mode { A }\ntype Alias = number;";
    await value(cell);
    await value(cell);
    expect(await value("new Box().v + rerun.length + Mode.A")).toBe(3);
  });

  test("a cell run many times keeps its errors and its types for the cells after it", async () => {
    const cell = "const reps = [1, 2, 3];\nfunction total(): number { return reps.reduce((a, b) => a + b, 0); }";
    for (let i = 0; i < 3; i++) await value(cell);
    const bad = "const repsBad: string = total();";
    for (let i = 0; i < 3; i++) expect((await failing(bad)).diagnostics?.[0]?.code).toBe(2322);
    expect(await value("total() + reps.length")).toBe(9);
  });

  test("an earlier cell replaced only by a failed cell still types its names", async () => {
    await value("const kept = 41;\nlet keptToo = 'a';");
    // Fails to check: it declares both names again, but never runs, so the old ones stay.
    expect((await failing("const kept = 'x';\nlet keptToo = 2;\nconst n: number = kept;")).ename).toBe("CompileError");
    expect(await value("kept.toFixed(0) + keptToo.toUpperCase()")).toBe("41A");
  });

  test("a name replaced for real after a failed cell is checked with its new type", async () => {
    await value("const kept2 = 41;\nlet keptToo2 = 'a';");
    expect((await failing("const kept2 = 'x';\nlet keptToo2 = 2;\nconst n: number = kept2;")).ename).toBe(
      "CompileError",
    );
    await value("const kept2 = 'x';\nlet keptToo2 = 2;");
    expect(await value("kept2.toUpperCase() + keptToo2.toFixed(1)")).toBe("X2.0");
    // A TypeScript cell (a plain JavaScript one is refused only for undefined names).
    expect((await failing("const fixed2: string = kept2.toFixed(0);")).diagnostics?.[0]?.message).toMatch(
      /^Property 'toFixed' does not exist on type '"x"'/,
    );
  });
  test("a name declared again for real has its new value and type", async () => {
    await value("const kept3 = 1;");
    await value("const kept3 = 'x';\nlet keptToo3 = 2;");
    expect(await value("kept3.toUpperCase() + keptToo3.toFixed(1)")).toBe("X2.0");
  });

  test("imported bindings are typed, in later cells too", async () => {
    await value('import { add } from "cjs-fixture";\nimport esmDefault, { mul } from "esm-fixture";');
    expect((await failing('const sum: number = add(1, "2")')).diagnostics?.[0]).toMatchObject({
      line: 1,
      column: 28,
      code: 2345,
    });
    expect(await value("mul(add(1, 2), esmDefault.length)")).toBe(33);
  });

  test("a namespace import names the module's types too, in the same and later cells", async () => {
    expect(
      await value(
        'import * as shapesNs from "./shapes.js";\nconst sq1: shapesNs.Square = shapesNs.square(2);\nsq1.side',
      ),
    ).toBe(2);
    expect(await value("const sq2: shapesNs.Square = { side: 4 };\nsq2.side")).toBe(4);
    expect((await failing("const sq3: shapesNs.Square = { side: '4' };")).diagnostics?.[0]?.code).toBe(2322);
    expect(await value('import * as pathNs from "node:path";\npathNs.join("a", "b")')).toBe(path.join("a", "b"));
  });

  test("a missing module or export is reported at the import", async () => {
    const r = await failing(
      'const ok1: number = 1;\nimport { nothing } from "esm-fixture";\nimport gone from "no-such-module-abc";',
    );
    expect(r.diagnostics?.map((d) => [d.line, d.code])).toEqual([
      [2, 2614],
      [3, 2307],
    ]);
  });

  test("residents are typed from typesFrom, including a #member", async () => {
    expect((await failing('const scaled: number = lib.scale("2")')).diagnostics?.[0]?.code).toBe(2345);
    expect(await value("lib.scale(21) + nodePath.basename('/a/b')")).toBe("42b");
  });

  test("a whole-module resident's types can be named through it (shapes.Square)", async () => {
    expect(
      await value(
        "const sq: shapes.Square = shapes.square(3);\nconst ci: shapes.Circle = new shapes.Circle(2);\nsq.side + ci.radius",
      ),
    ).toBe(5);
    expect((await failing("const notSquare: shapes.Square = { side: 'x' };")).diagnostics?.[0]?.code).toBe(2322);
  });

  test("export modifiers are ignored, also on an anonymous default function", async () => {
    expect(await value("export const exported = 2;\nexport default function () { return 1; }\nexported")).toBe(2);
  });

  test("top-level await, for await and import.meta are accepted", async () => {
    expect(
      await value(
        "const got = await Promise.resolve(5);\nfor await (const _ of [1]) {}\ngot + (typeof import.meta.url).length",
      ),
    ).toBe(11);
  });

  test("// @ts-nocheck on the first line and typeCheck:false skip the check", async () => {
    expect(
      await value(
        "// @ts-nocheck\nconst loose: number = 'x' as any as string as any;\nconst bad: number = 'really a string';\nbad",
      ),
    ).toBe("really a string");
    expect(await value("const bad2: number = 'unchecked';\nbad2", { typeCheck: false })).toBe("unchecked");
  });

  test("syntax errors are always reported, with line and column", async () => {
    const r = await ev.execute("// @ts-nocheck\nconst x = (1 + ;", { typeCheck: false });
    expect(r.status === "error" && r.ename).toBe("SyntaxError");
    expect(r.status === "error" && r.diagnostics?.[0]).toMatchObject({ line: 2, column: 16, code: 1109 });
  });
});

describe("residents and helpers", () => {
  test("a cell may declare a name that Node's types declare globally", async () => {
    expect(await value("const __filename = 'mine';\n__filename.length")).toBe(4);
    expect(await value("__filename.toUpperCase()")).toBe("MINE");
  });

  test("the evaluator's helpers are not enumerable globals", async () => {
    expect(await value("Object.keys(globalThis).filter((k) => k.startsWith('__deepts')).length")).toBe(0);
  });

  test("a cell may declare a resident's name itself, and its declaration wins", async () => {
    expect(await value("const nodePath = 'mine';\nnodePath.length")).toBe(4);
    expect(await value("nodePath.toUpperCase()")).toBe("MINE");
  });
});

describe("top-level await in a cell", () => {
  test("await (expr) and await (x as T).method() type-check as awaits, in the cell and in later cells", async () => {
    await value(
      "class Counter { async next(): Promise<number> { return 41; } }\nconst counterAny: unknown = new Counter();",
    );
    expect(await value("const nextValue = await (counterAny as Counter).next();\nnextValue + 1")).toBe(42);
    expect(await value("nextValue.toFixed(1)")).toBe("41.0");
    expect(await value("await (Promise.resolve('x'))")).toBe("x");
    const r = await failing("const wrongAwait: string = await (counterAny as Counter).next();");
    expect(r.diagnostics?.map((d) => d.code)).toEqual([2322]);
  });
});

describe("variables whose type evolves in their cell (strict cells)", () => {
  test("const a = []; a.push(1) is number[] in later cells", async () => {
    await value("// @ts-strict\nconst evolving = [];\nevolving.push(1);\nlet later;\nlater = 'text';");
    expect(await value("// @ts-strict\nevolving.map((v) => v * 2)")).toEqual([2]);
    expect(await value("// @ts-strict\nlater.toUpperCase()")).toBe("TEXT");
    const r = await failing("// @ts-strict\nevolving.push('no');");
    expect(r.diagnostics?.map((d) => d.code)).toEqual([2345]);
  });
});

test("an empty array left empty in its cell gets a clear error in later cells", async () => {
  await value("// @ts-strict\nconst stillEmpty = [];");
  const r = await failing("// @ts-strict\nconst firstOfEmpty = stillEmpty[0];");
  expect(r.diagnostics?.[0]?.code).toBe(7005);
  expect(r.evalue).toContain("const a: number[] = []");
});

test("a #member resident that is a class is a type too; one that is a value is not", async () => {
  expect(await value("const round: Circle = new Circle(2);\nround.radius")).toBe(2);
  expect((await failing("const notAType: lib = lib;")).diagnostics?.[0]?.code).toBe(2749);
});
