import { afterAll, describe, expect, test } from "vitest";
import path from "node:path";
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import { createCellEvaluator, type CellResult } from "../../src/eval/index.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const flag = new Int32Array(new SharedArrayBuffer(4));
const ev = createCellEvaluator({ cwd: path.join(here, "fixtures"), residents: [], interruptFlag: flag });
afterAll(() => ev.dispose?.());

async function ok(code: string, opts?: { typeCheck?: boolean }): Promise<unknown> {
  const r = await ev.execute(code, opts);
  if (r.status !== "ok") throw new Error(`cell failed: ${r.ename}: ${r.evalue}\n${r.traceback.join("\n")}`);
  return r.hasValue ? r.value : "<no value>";
}

describe("declarations persist across cells", () => {
  test("let, const and var", async () => {
    await ok("let a1 = 1; const b1 = 2; var c1 = 3;");
    expect(await ok("a1 + b1 + c1")).toBe(6);
  });

  test("a cell that declares const can run again", async () => {
    await ok("const again = 1;");
    await ok("const again = 2;");
    expect(await ok("again")).toBe(2);
  });

  test("let keeps being assignable from later cells", async () => {
    await ok("let counter = 0;");
    await ok("counter += 5;");
    expect(await ok("counter")).toBe(5);
  });

  test("functions are hoisted and visible later, including recursion", async () => {
    expect(await ok("fact(5)\nfunction fact(n: number): number { return n <= 1 ? 1 : n * fact(n - 1); }")).toBe(
      "<no value>",
    );
    expect(await ok("fact(5)")).toBe(120);
  });

  test("classes, including instanceof across cells", async () => {
    await ok(
      "class Point { constructor(public x: number, public y: number) {} norm() { return Math.hypot(this.x, this.y); } }",
    );
    await ok("const pt = new Point(3, 4);");
    expect(await ok("pt.norm()")).toBe(5);
    expect(await ok("pt instanceof Point")).toBe(true);
  });

  test("object and array destructuring with defaults and rest", async () => {
    await ok("const { da, db: [dc = 7, ...drest], ...dothers } = { da: 1, db: [undefined, 2, 3], dz: 9 } as any;");
    expect(await ok("[da, dc, drest, dothers]")).toEqual([1, 7, [2, 3], { dz: 9 }]);
  });

  test("enums and type-only declarations", async () => {
    await ok("enum Color { Red, Green }\ninterface Shape { sides: number }\ntype Id = string;");
    expect(await ok("const sq: Shape = { sides: 4 }; [Color.Green, Color[0], sq.sides]")).toEqual([1, "Red", 4]);
  });

  test("var inside top-level blocks and loops is global", async () => {
    await ok("for (var vi = 0; vi < 3; vi++) { var vlast = vi * 10; }\nif (true) { var vin = 'yes'; }");
    expect(await ok("[vi, vlast, vin]")).toEqual([3, 20, "yes"]);
  });

  test("block-scoped loop variables stay per iteration", async () => {
    await ok("const fns: (() => number)[] = [];\nfor (let k = 0; k < 3; k++) fns.push(() => k);");
    expect(await ok("fns.map((f) => f())")).toEqual([0, 1, 2]);
  });

  test("runtime-made typed arrays share the realm's built-ins", async () => {
    (globalThis as Record<string, unknown>).hostArray = new Float32Array(2);
    expect(await ok("(globalThis as any).hostArray instanceof Float32Array")).toBe(true);
  });
});

describe("values", () => {
  test("the last expression is the value, with or without a semicolon", async () => {
    expect(await ok("1 + 1")).toBe(2);
    expect(await ok("const v = 3;\nv * 2;")).toBe(6);
    expect(await ok("'text'")).toBe("text");
  });

  test("declaration-only cells and non-expression endings have no value", async () => {
    expect(await ok("const nv = 1;")).toBe("<no value>");
    expect(await ok("if (nv) { nv + 1; }")).toBe("<no value>");
    expect(await ok("")).toBe("<no value>");
  });

  test("undefined results (e.g. console.log) have no value", async () => {
    expect(await ok("void 0")).toBe("<no value>");
  });

  test("a promise as last expression is returned as is, not awaited", async () => {
    const r = await ev.execute("Promise.resolve(4)");
    expect(r.status === "ok" && r.value).toBeInstanceOf(Promise);
    expect(await ok("await Promise.resolve(4)")).toBe(4);
  });

  test("top-level await, for await and await in declarations", async () => {
    await ok("const waited = await new Promise<number>((r) => setTimeout(() => r(42), 5));");
    expect(await ok("waited")).toBe(42);
    await ok("async function* gen() { yield 1; yield 2; }\nlet total = 0;\nfor await (const g of gen()) total += g;");
    expect(await ok("total")).toBe(3);
  });
});

describe("imports", () => {
  test("node builtins: default, named and namespace", async () => {
    await ok('import pathDefault, { join as joinPath } from "node:path";\nimport * as os from "node:os";');
    expect(await ok('joinPath("a", "b")')).toBe(path.join("a", "b"));
    expect(await ok('pathDefault.basename("/x/y.txt")')).toBe("y.txt");
    expect(await ok("typeof os.cpus")).toBe("function");
  });

  test("a CommonJS package next to the notebook", async () => {
    await ok('import cjs, { add } from "cjs-fixture";');
    expect(await ok("[add(2, 3), cjs.add(1, 1), cjs.kind]")).toEqual([5, 2, "cjs"]);
  });

  test("an ESM-only package next to the notebook, through its exports map", async () => {
    await ok('import esmDefault, { mul } from "esm-fixture";\nimport * as esmNs from "esm-fixture";');
    expect(await ok("[mul(2, 3), esmDefault, esmNs.mul === mul]")).toEqual([6, "esm default", true]);
  });

  test("a package from the kernel's own node_modules", async () => {
    await ok('import * as tsmod from "typescript";');
    expect(await ok("typeof tsmod.transpileModule")).toBe("function");
  });

  test("relative imports resolve from the notebook folder", async () => {
    await ok('import { triple } from "./local.mjs";');
    expect(await ok("triple(3)")).toBe(9);
  });

  test("import type is erased and dynamic import works", async () => {
    await ok('import type { Stats } from "node:fs";\nconst dyn = await import("node:path");');
    expect(await ok("typeof dyn.join")).toBe("function");
  });

  test("a local file that changed is imported afresh", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "deepts-eval-"));
    const file = path.join(dir, "changing.mjs");
    try {
      writeFileSync(file, "export const version = 1;\n");
      await ok(`import { version as v1 } from ${JSON.stringify(file)};`, { typeCheck: false });
      writeFileSync(file, "export const version = 2;\n");
      utimesSync(file, new Date(), new Date(Date.now() + 5000));
      await ok(`import { version as v2 } from ${JSON.stringify(file)};`, { typeCheck: false });
      expect(await ok("[v1, v2]")).toEqual([1, 2]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("require() resolves from the notebook folder", async () => {
    expect(await ok('require("cjs-fixture").add(2, 2)')).toBe(4);
    expect(await ok('typeof require("node:fs").readFileSync')).toBe("function");
  });

  test("a missing package is a clear error", async () => {
    const r = await ev.execute('import nope from "no-such-package-xyz";', { typeCheck: false });
    expect(r.status).toBe("error");
    expect((r as Extract<CellResult, { status: "error" }>).evalue).toContain("no-such-package-xyz");
  });
});
