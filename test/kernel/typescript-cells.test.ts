/**
 * The type policy, imports, completion and is_complete through the real kernel over ZeroMQ,
 * as a frontend sees them.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { JupyterMessage } from "../../src/wire/message.js";
import { TestKernel } from "./client.js";

let k: TestKernel;
let completeRightAfterStart: Promise<[JupyterMessage, JupyterMessage]>;

beforeAll(async () => {
  k = await TestKernel.start();
  // Asked before any cell has run, while the language service is still being built.
  completeRightAfterStart = Promise.all([
    k.request("shell", "complete_request", { code: "Math.ab", cursor_pos: 7 }),
    k.request("shell", "complete_request", { code: "tf.", cursor_pos: 3 }),
  ]);
  await completeRightAfterStart;
});
afterAll(async () => {
  await k?.shutdown();
});

async function run(code: string): Promise<{ status: string; text: string; error: string }> {
  const { reply, outputs } = await k.execute(code);
  const result = outputs.find((m) => m.header.msg_type === "execute_result");
  const data = result?.content.data as Record<string, string> | undefined;
  return {
    status: String(reply.content.status),
    text: data?.["text/plain"] ?? TestKernel.streamText(outputs, "stdout"),
    error: reply.content.status === "error" ? `${reply.content.ename}: ${reply.content.evalue}` : "",
  };
}

describe("right after start", () => {
  test("Tab completes before the first cell has run", async () => {
    const [math, tf] = await completeRightAfterStart;
    expect(math.content.matches).toContain("abs");
    expect(math.content).toMatchObject({ cursor_start: 5, cursor_end: 7 });
    expect(tf.content.matches).toEqual(expect.arrayContaining(["tensor", "layers", "sequential", "train"]));
  });

  test("is_complete says invalid for code only the engine rejects, and incomplete for an open bracket", async () => {
    const invalid = await k.request("shell", "is_complete_request", { code: "let = 5;" });
    expect(invalid.content.status).toBe("invalid");
    const open = await k.request("shell", "is_complete_request", { code: "model.fit(xs, {" });
    expect(open.content).toMatchObject({ status: "incomplete" });
    const done = await k.request("shell", "is_complete_request", { code: "const a = tf.scalar(1);" });
    expect(done.content.status).toBe("complete");
  });
});

describe("Shift-Tab", () => {
  async function inspect(code: string): Promise<string> {
    const r = await k.request("shell", "inspect_request", { code, cursor_pos: code.length, detail_level: 0 });
    expect(r.content.found).toBe(true);
    return (r.content.data as Record<string, string>)["text/plain"]!;
  }

  test("shows the signature and the doc text of a layer factory, an optimizer and model.fit", async () => {
    const dense = await inspect("tf.layers.dense");
    expect(dense).toContain("dense");
    expect(dense).toMatch(/fully connected/);
    const adam = await inspect("tf.train.adam");
    expect(adam).toMatch(/Adam: momentum/);
    await run("const inspected = tf.sequential();");
    const fit = await inspect("inspected.fit");
    expect(fit).toMatch(/^\(method\) LayersModel\.fit\(/);
    expect(fit).toMatch(/epochs/);
  });
});

describe("the type policy", () => {
  test("a plain JavaScript TF.js program with untyped parameters and `this.x =` classes runs as is", async () => {
    const program = `
class LinearModel {
  constructor(lr) {
    this.w = tf.variable(tf.scalar(0));
    this.b = tf.variable(tf.scalar(0));
    this.optimizer = tf.train.sgd(lr);
  }
  predict(x) {
    return x.mul(this.w).add(this.b);
  }
  step(xs, ys) {
    return this.optimizer.minimize(() => this.predict(xs).sub(ys).square().mean(), true);
  }
}
const lm = new LinearModel(0.1);
const xsLin = tf.tensor1d([0, 1, 2, 3]);
const ysLin = xsLin.mul(2).add(1);
let lastLoss;
for (let i = 0; i < 200; i++) lastLoss = lm.step(xsLin, ysLin).dataSync()[0];
const out = lm.predict(tf.tensor1d([4])).dataSync()[0];
console.log(lastLoss < 0.01, Math.round(out));`;
    const r = await run(program);
    expect(r.error).toBe("");
    expect(r.text).toBe("true 9\n");
  });

  test("the union a model's predict() returns can be used as a Tensor in JavaScript; TypeScript needs the cast", async () => {
    await run(
      "const tiny = tf.sequential();\ntiny.add(tf.layers.dense({ units: 1, inputShape: [2] }));\ntiny.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });",
    );
    expect((await run("tiny.predict(tf.zeros([3, 2])).shape")).text).toBe("[ 3, 1 ]");
    const refused = await run("const p: number[] = tiny.predict(tf.zeros([3, 2])).shape;");
    expect(refused.error).toMatch(
      /^CompileError: line 1:col \d+ - error TS2339: Property 'shape' does not exist on type 'Tensor/,
    );
    expect((await run("const p: number[] = (tiny.predict(tf.zeros([3, 2])) as tf.Tensor).shape;\np")).text).toBe(
      "[ 3, 1 ]",
    );
  });

  test("a misspelled name is refused before anything runs", async () => {
    const r = await run("let sideEffect = 1;\nconsole.log(modle);");
    expect(r.status).toBe("error");
    expect(r.error).toBe("CompileError: line 2:col 13 - error TS2304: Cannot find name 'modle'.");
    expect((await run("typeof sideEffect")).text).toBe("'undefined'");
  });
});

describe("imports of the notebook's own files and packages", () => {
  beforeAll(() => {
    writeFileSync(
      join(k.dir, "local_mod.ts"),
      'import { twice } from "./helper";\nexport function f(x: number): number {\n  return twice(x) + 1;\n}\n',
    );
    writeFileSync(join(k.dir, "helper.ts"), "export const twice = (x: number): number => x * 2;\n");
    writeFileSync(join(k.dir, "plain.js"), "export function g(a) {\n  return a + 1;\n}\n");
    const pkg = join(k.dir, "node_modules", "untyped-esm");
    mkdirSync(pkg, { recursive: true });
    writeFileSync(
      join(pkg, "package.json"),
      JSON.stringify({ name: "untyped-esm", type: "module", exports: { ".": "./main.js" } }),
    );
    writeFileSync(join(pkg, "main.js"), 'export const shout = (s) => s.toUpperCase() + "!";\nexport default 42;\n');
  });

  test("an extensionless import of a .ts file runs (compiled as it loads) and is type-checked", async () => {
    expect(await run('import { f } from "./local_mod";\nf(3)')).toMatchObject({ status: "ok", text: "7" });
    expect((await run("const fromTs: string = f(1);")).error).toContain("error TS2322");
  });

  test("a .js file, with or without its extension", async () => {
    expect((await run('import { g } from "./plain";\ng(1)')).text).toBe("2");
    expect((await run('import { g as g2 } from "./plain.js";\ng2(2)')).text).toBe("3");
  });

  test("a package without types, statically and with await import()", async () => {
    expect((await run('const m = await import("untyped-esm");\nm.shout("hi")')).text).toBe("'HI!'");
    expect((await run('const m2: any = await import("untyped-esm");\nm2.default')).text).toBe("42");
    expect((await run('import { shout } from "untyped-esm";\nshout("x")')).text).toBe("'X!'");
  });

  test("@tensorflow/tfjs and tfjs-node (import and require) give deepts's tf, typed", async () => {
    expect((await run('import * as tfjs from "@tensorflow/tfjs";\ntfjs === tf')).text).toBe("true");
    expect((await run("const t3: tfjs.Tensor = tfjs.tensor([1, 2]);\nt3.shape")).text).toBe("[ 2 ]");
    expect((await run('const tfNode = require("@tensorflow/tfjs-node");\ntfNode.tensor === tf.tensor')).text).toBe(
      "true",
    );
  });
});
