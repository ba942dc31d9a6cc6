import { afterAll, describe, expect, test } from "vitest";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createCellEvaluator, type BackgroundError, type CellResult } from "../../src/eval/index.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const background: BackgroundError[] = [];
const ev = createCellEvaluator({
  cwd: path.join(here, "fixtures"),
  residents: [],
  interruptFlag: new Int32Array(new SharedArrayBuffer(4)),
  onBackgroundError: (e) => background.push(e),
});
afterAll(() => ev.dispose?.());

type ErrorResult = Extract<CellResult, { status: "error" }>;
async function failing(code: string, executionCount: number): Promise<ErrorResult> {
  const r = await ev.execute(code, { executionCount, typeCheck: false });
  if (r.status !== "error") throw new Error(`expected an error from ${JSON.stringify(code)}`);
  return r;
}

describe("tracebacks point at cell lines", () => {
  test("a synchronous throw", async () => {
    const r = await failing("const a = 1;\nconst b: any = null;\nb.missing;", 3);
    expect(r.ename).toBe("TypeError");
    expect(r.evalue).toContain("missing");
    expect(r.traceback[0]).toBe(
      "Cell In[3], line 3\n      1 const a = 1;\n      2 const b: any = null;\n----> 3 b.missing;",
    );
    expect(r.traceback.at(-1)).toBe(`TypeError: ${r.evalue}`);
    expect(r.traceback.join("\n")).not.toMatch(/__deepts|node:internal|evaluator/);
  });

  test("a function from an earlier cell, innermost frame last", async () => {
    const ok = await ev.execute(
      "function check(n: number) {\n  if (n > 2) {\n    throw new RangeError(`too big: ${n}`);\n  }\n}",
      { executionCount: 4 },
    );
    expect(ok.status).toBe("ok");
    const r = await failing("// call it\ncheck(1);\ncheck(5);", 5);
    expect(r.ename).toBe("RangeError");
    expect(r.evalue).toBe("too big: 5");
    expect(r.traceback).toHaveLength(3);
    expect(r.traceback[0]).toMatch(/^Cell In\[5\], line 3\n/);
    expect(r.traceback[0]).toContain("----> 3 check(5);");
    expect(r.traceback[1]).toMatch(/^Cell In\[4\], line 3, in check\n/);
    expect(r.traceback[1]).toContain("----> 3     throw new RangeError(`too big: ${n}`);");
  });

  test("after an await, in a method, with type annotations erased before the line", async () => {
    const code = [
      "interface Config {",
      "  depth: number;",
      "}",
      "class Parser {",
      "  parse(text: string): Config {",
      "    return JSON.parse(text) as Config;",
      "  }",
      "}",
      "await new Promise((r) => setTimeout(r, 1));",
      "new Parser().parse('{oops');",
    ].join("\n");
    const r = await failing(code, 6);
    expect(r.ename).toBe("SyntaxError");
    expect(r.traceback[0]).toContain("Cell In[6], line 10\n");
    expect(r.traceback[1]).toContain("Cell In[6], line 6, in Parser.parse\n");
  });

  test("a rejected promise the cell awaited", async () => {
    const r = await failing("async function later() { throw new Error('async fail'); }\nawait later();", 7);
    expect(r.evalue).toBe("async fail");
    expect(r.traceback.join("\n")).toContain("Cell In[7], line 1");
  });

  test("an unhandled rejection while the cell runs fails the cell", async () => {
    const r = await failing("Promise.reject(new Error('dropped'));\nawait new Promise((r) => setTimeout(r, 200));", 8);
    expect(r.evalue).toBe("dropped");
    expect(r.traceback[0]).toContain("Cell In[8], line 1");
  });

  test("an unhandled rejection after the cell finished goes to onBackgroundError", async () => {
    const ok = await ev.execute("setTimeout(() => { Promise.reject(new Error('late')); }, 10);", { executionCount: 9 });
    expect(ok.status).toBe("ok");
    await new Promise((r) => setTimeout(r, 100));
    expect(background).toHaveLength(1);
    expect(background[0]!.evalue).toBe("late");
    expect(background[0]!.traceback[0]).toBe(
      "A promise from Cell In[9] was rejected and nothing handled the rejection (use await or .catch):",
    );
    expect(background[0]!.traceback[1]).toContain("Cell In[9], line 1");
  });

  test("an error thrown later by an earlier cell's timer is reported, and does not fail the running cell", async () => {
    const ok = await ev.execute("setTimeout(() => { throw new Error('from a timer'); }, 30);", { executionCount: 20 });
    expect(ok.status).toBe("ok");
    const later = await ev.execute("await new Promise((r) => setTimeout(r, 120)); 'finished'", { executionCount: 21 });
    expect(later).toMatchObject({ status: "ok", value: "finished" });
    const report = background.find((b) => b.evalue === "from a timer")!;
    expect(report.traceback[0]).toBe(
      "An uncaught error in a timer or callback from Cell In[20] (it ran after its cell had finished):",
    );
    expect(report.traceback[1]).toContain("Cell In[20], line 1");
  });

  test("throwing a non-Error value", async () => {
    const r = await failing("throw { code: 7 };", 10);
    expect(r.ename).toBe("Uncaught");
    expect(r.evalue).toBe('{"code":7}');
  });
});

describe("deep stacks", () => {
  test("the cell's frame survives 30 frames of other code above it", async () => {
    const ok = await ev.execute(
      "function nest(n: number): number {\n  if (n === 0) throw new Error('deep');\n  return nest(n - 1) + 1;\n}",
      { executionCount: 11 },
    );
    expect(ok.status).toBe("ok");
    const r = await failing("const depth = 30;\nnest(depth);", 12);
    expect(r.traceback[0]).toContain("Cell In[12], line 2\n");
    expect(r.traceback.at(-2)).toContain("Cell In[11], line 2, in nest\n");
    // 30 recursive calls at line 3 are shown once, with the rest counted.
    expect(r.traceback).toContain("[... skipping similar frames: Cell In[11], line 3, in nest (29 times)]");
    expect(r.traceback).toHaveLength(5);
  });
});

describe("frames of deepts itself", () => {
  // A function from deepts's own tree (src/ here, dist/ in the kernel) that throws after an await,
  // like `model.fit` throwing an interrupt between batches: V8 then names the cell's frame only as
  // `at async cell-N.ts:L:C`.
  const internal = async () => {
    await new Promise((r) => setTimeout(r, 1));
    throw new Error("stopped inside the library");
  };
  (globalThis as Record<string, unknown>).__deeptsTestInternal = internal;

  test("an error thrown by deepts after an await points at the cell's line and shows no deepts frames", async () => {
    const r = await failing("const before = 1;\nawait (globalThis as any).__deeptsTestInternal();", 13);
    expect(r.traceback).toEqual([
      "Cell In[13], line 2\n      1 const before = 1;\n----> 2 await (globalThis as any).__deeptsTestInternal();",
      "Error: stopped inside the library",
    ]);
  });

  test("DEEPTS_FULL_TRACEBACK=1, even set from a cell, appends the whole stack", async () => {
    const set = await ev.execute('process.env.DEEPTS_FULL_TRACEBACK = "1";', { executionCount: 14, typeCheck: false });
    expect(set.status).toBe("ok");
    try {
      const r = await failing("await (globalThis as any).__deeptsTestInternal();", 15);
      expect(r.traceback[0]).toMatch(/^Cell In\[15\], line 1\n/);
      expect(r.traceback[1]).toMatch(
        /^Full stack \(DEEPTS_FULL_TRACEBACK=1\):\nError: stopped inside the library\n\s+at /,
      );
      expect(r.traceback[1]).toContain("traceback.test.ts");
    } finally {
      delete process.env.DEEPTS_FULL_TRACEBACK;
    }
  });
});
