/**
 * Rich display through the real kernel process (`node dist/cli/main.js kernel`): resident display
 * globals, the live training panel of `model.fit`, `model.summary()` tables, plots, tensors,
 * model diagrams and `import ... from "tslab"`.
 */
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { JupyterMessage } from "../../src/wire/message.js";
import { repoRoot, TestKernel } from "../kernel/client.js";

let k: TestKernel;
beforeAll(async () => {
  k = await TestKernel.start();
  await k.execute("0", {}, 60_000);
});
afterAll(async () => {
  await k?.shutdown();
});

type Data = Record<string, unknown>;
const ofType = (outputs: JupyterMessage[], type: string) => outputs.filter((m) => m.header.msg_type === type);
const dataOf = (m: JupyterMessage) => m.content.data as Data;
const displayIdOf = (m: JupyterMessage) => (m.content.transient as { display_id?: string } | undefined)?.display_id;

async function ok(code: string, timeoutMs = 60_000): Promise<JupyterMessage[]> {
  const r = await k.execute(code, {}, timeoutMs);
  if (r.reply.content.status !== "ok")
    throw new Error(
      `cell failed: ${String(r.reply.content.ename)}: ${String(r.reply.content.evalue)}\n${(r.reply.content.traceback as string[] | undefined)?.join("\n")}`,
    );
  return r.outputs;
}

const MODEL = `
const model = tf.sequential();
model.add(tf.layers.dense({ units: 16, inputShape: [2], activation: "relu" }));
model.add(tf.layers.dense({ units: 1 }));
model.compile({ optimizer: "adam", loss: "meanSquaredError", metrics: ["mse"] });
const xs = tf.randomNormal([2048, 2]);
const ys = xs.sum(1, true);
`;

describe("display globals in cells", () => {
  test("plot, tslab, clearOutput, clear_output, TrainingPanel, trainingPanel, LiveOutput and Figure are resident and typed", async () => {
    // Cells are type-checked: a wrong member or argument would fail the cell with a CompileError.
    const outputs = await ok(`
const kinds: string[] = [typeof plot.line, typeof tslab.display.html, typeof clearOutput, typeof clear_output,
  typeof TrainingPanel, typeof trainingPanel, typeof LiveOutput, typeof Figure];
const fig: InstanceType<typeof Figure> = plot.line([1, 2, 3], { title: "t" });
const panel = new TrainingPanel({ epochs: 1 });
kinds.join(",") + " " + (fig instanceof Figure) + " " + (trainingPanel() instanceof TrainingPanel) + " " + panel.title`);
    expect(dataOf(ofType(outputs, "execute_result")[0]!)["text/plain"]).toBe(
      "'function,function,function,function,function,function,function,function true true Training'",
    );
    // A TypeScript cell (annotated) is checked against the typings; plain JavaScript is not.
    const bad = await k.execute("const badFig: unknown = plot.line(42, { title: 1 });");
    expect(bad.reply.content).toMatchObject({ status: "error", ename: "CompileError" });
  });

  test("completion knows the display globals' members", async () => {
    for (const [code, expected] of [
      ["plot.hi", "histogram"],
      ["plot.conf", "confusionMatrix"],
      ["new TrainingPanel().onEp", "onEpochEnd"],
      ["tslab.display.mark", "markdown"],
      ["clear_outp", "clear_output"],
    ] as const) {
      const r = await k.request("shell", "complete_request", { code, cursor_pos: code.length });
      expect(r.content.matches, code).toContain(expected);
    }
  });

  test("a plot's bundle has plotly JSON (as an object), HTML and SVG", async () => {
    const outputs = await ok("display(plot.line([1, 3, 2], { title: 'loss' }))");
    const [d] = ofType(outputs, "display_data");
    const data = dataOf(d!);
    expect(Object.keys(data).sort()).toEqual([
      "application/vnd.plotly.v1+json",
      "image/svg+xml",
      "text/html",
      "text/plain",
    ]);
    const fig = data["application/vnd.plotly.v1+json"] as {
      data: { y: number[] }[];
      layout: { title: { text: string } };
    };
    expect(typeof fig).toBe("object");
    expect(fig.data[0]!.y).toEqual([1, 3, 2]);
    expect(fig.layout.title.text).toBe("loss");
    expect(data["image/svg+xml"]).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
  });

  test("a confusion matrix of a cell's labels and predictions shows its counts", async () => {
    const outputs = await ok(
      "const cm = tf.math.confusionMatrix(tf.tensor1d([0, 1, 1, 2], 'int32'), tf.tensor1d([0, 1, 2, 2], 'int32'), 3);\n" +
        "plot.confusionMatrix(cm, { classNames: ['cat', 'dog', 'bird'], title: 'pets' })",
    );
    const data = dataOf(ofType(outputs, "execute_result")[0]!);
    const fig = data["application/vnd.plotly.v1+json"] as { data: { z: number[][]; text: string[][]; x: string[] }[] };
    expect(fig.data[0]!.z).toEqual([
      [1, 0, 0],
      [0, 1, 1],
      [0, 0, 1],
    ]);
    expect(fig.data[0]!.text[1]).toEqual(["0", "1", "1"]);
    expect(fig.data[0]!.x).toEqual(["cat", "dog", "bird"]);
    expect(data["image/svg+xml"]).toMatch(/>bird<[\s\S]*>pets</);
    const bad = await k.execute("plot.confusionMatrix([0, 1], [1])");
    expect(bad.reply.content.evalue).toMatch(/2 labels but 1 predictions/);
  });

  test("display(tensor) is a table, display(model) a diagram", async () => {
    const t = dataOf(ofType(await ok("display(tf.tensor([[1, 2], [3, 4]]))"), "display_data")[0]!);
    expect(t["text/html"]).toMatch(/<table[\s\S]*>4<[\s\S]*<\/table>/);
    expect(t["text/plain"]).toMatch(/1.*2[\s\S]*3.*4/);
    const m = dataOf(ofType(await ok(`${MODEL}\ndisplay(model)`), "display_data")[0]!);
    expect(m["image/svg+xml"]).toMatch(/^<svg[\s\S]*dense[\s\S]*<\/svg>/);
    expect(m["text/plain"]).toMatch(/Total params: 65/);
  });

  test("model.summary() shows an HTML table with the printed text as text/plain", async () => {
    const outputs = await ok("model.summary()");
    expect(outputs.map((m) => m.header.msg_type)).toEqual(["display_data"]);
    const data = dataOf(outputs[0]!);
    expect(data["text/html"]).toMatch(/<table[\s\S]*Dense[\s\S]*<\/table>[\s\S]*Total params: <b>65<\/b>/);
    // The same text the model prints through a printFn (which still prints, and shows nothing).
    const printed = await ok(
      "const summaryLines: string[] = []; model.summary(undefined, undefined, (l) => summaryLines.push(l)); console.log(summaryLines.join('\\n'))",
    );
    expect(printed.map((m) => m.header.msg_type)).toEqual(["stream"]);
    expect(`${data["text/plain"] as string}\n`).toBe(TestKernel.streamText(printed, "stdout"));
    expect(data["text/plain"]).toMatch(/Total params:?\s*65/);
  });

  test("model.fit shows one live training panel, updated in place at a bounded rate, ending in its final state", async () => {
    const r = await k.execute(
      "await model.fit(xs, ys, { epochs: 6, batchSize: 16, validationSplit: 0.2 }); 'trained'",
      {},
      120_000,
    );
    expect(r.reply.content.status).toBe("ok");
    const shown = ofType(r.outputs, "display_data");
    expect(shown).toHaveLength(1);
    const id = displayIdOf(shown[0]!);
    expect(id).toMatch(/.+/);
    const updates = ofType(r.outputs, "update_display_data");
    expect(updates.length).toBeGreaterThanOrEqual(2);
    for (const u of updates) expect(displayIdOf(u)).toBe(id);
    // No console line per epoch when the panel is shown.
    expect(TestKernel.streamText(r.outputs, "stdout")).not.toMatch(/Epoch \d/);
    // At most 20 display messages in any one second.
    const times = [shown[0]!, ...updates].map((m) => Date.parse(m.header.date));
    for (let i = 0; i < times.length; i++)
      expect(times.filter((t) => t >= times[i]! && t < times[i]! + 1000).length).toBeLessThanOrEqual(20);
    const last = dataOf(updates.at(-1)!);
    expect(last["text/plain"]).toMatch(/Training: epoch 6\/6 .*done in .*loss .*val_loss/);
    expect(last["text/html"]).toMatch(/100%/);
    expect((last["text/html"] as string).match(/<img /g)?.length).toBeGreaterThanOrEqual(2);
    // Intermediate states were shown on the way.
    expect(updates.some((u) => !/done in/.test(dataOf(u)["text/plain"] as string))).toBe(true);
    expect(dataOf(ofType(r.outputs, "execute_result")[0]!)["text/plain"]).toBe("'trained'");
  });

  test("no panel with verbose: 0, and only the user's panel when they pass one", async () => {
    const quiet = await ok("await model.fit(xs, ys, { epochs: 1, batchSize: 256, verbose: 0 }); undefined");
    expect(quiet).toEqual([]);
    const own = await ok(
      "const mine = new TrainingPanel({ title: 'Mine' }); await model.fit(xs, ys, { epochs: 2, batchSize: 256, callbacks: [mine] }); undefined",
    );
    const shown = ofType(own, "display_data");
    expect(shown).toHaveLength(1);
    expect(dataOf(shown[0]!)["text/plain"]).toMatch(/^Mine/);
    const ids = new Set([...shown, ...ofType(own, "update_display_data")].map(displayIdOf));
    expect(ids.size).toBe(1);
    // The next plain fit gets the default panel again.
    const again = await ok("await model.fit(xs, ys, { epochs: 1, batchSize: 256 }); undefined");
    expect(ofType(again, "display_data").map((m) => dataOf(m)["text/plain"])).toEqual([
      expect.stringMatching(/^Training/),
    ]);
  });

  test("import * as tslab from 'tslab' and import { display } from 'tslab' use deepts's display", async () => {
    const a = await ok(
      "import * as tslab from 'tslab';\ntslab.display.html('<b>bold</b>');\nconst d = tslab.newDisplay(); d.text('one'); d.text('two');",
    );
    expect(a.map((m) => m.header.msg_type)).toEqual(["display_data", "display_data", "update_display_data"]);
    expect(dataOf(a[0]!)["text/html"]).toBe("<b>bold</b>");
    expect(displayIdOf(a[2]!)).toBe(displayIdOf(a[1]!));
    expect(dataOf(a[2]!)["text/plain"]).toBe("two");
    const b = await ok("import { display as show, versions } from 'tslab';\nshow.markdown('# hi');\nversions.tslab");
    expect(dataOf(ofType(b, "display_data")[0]!)["text/markdown"]).toBe("# hi");
    expect(dataOf(ofType(b, "execute_result")[0]!)["text/plain"]).toBe("'deepts'");
    const c = await ok("import { display } from 'tslab';\ndisplay.html('<i>x</i>')");
    expect(dataOf(ofType(c, "display_data")[0]!)["text/html"]).toBe("<i>x</i>");
  });

  test("a tslab package installed in the notebook's folder is replaced too", async () => {
    // The real package only works inside tslab's own kernel; this stand-in fails if it is loaded.
    const pkg = join(k.dir, "node_modules", "tslab");
    mkdirSync(join(pkg, "dist"), { recursive: true });
    writeFileSync(
      join(pkg, "package.json"),
      JSON.stringify({ name: "tslab", main: "dist/public.js", types: "dist/public.d.ts" }),
    );
    writeFileSync(join(pkg, "dist", "public.js"), "throw new Error('the real tslab package was loaded');\n");
    copyFileSync(join(repoRoot, "node_modules/tslab/dist/public.d.ts"), join(pkg, "dist", "public.d.ts"));
    const outputs = await ok("import * as localTslab from 'tslab';\nlocalTslab.display.text('local')");
    expect(dataOf(ofType(outputs, "display_data")[0]!)).toEqual({ "text/plain": "local" });
  });
});
