/**
 * A real TF.js program that uses tf.data.csv + fitDataset — tfjs-examples' abalone-node (CSV with a
 * label column, a map to feature arrays, shuffle/batch/take/skip, fitDataset with a validation
 * dataset and an onEpochEnd callback, model.save) — run as one cell through the real kernel, and
 * the same program on real TF.js 4.22 (tfjs-core cpu + tfjs-layers + tfjs-data) in this process.
 * Both learn the same synthetic abalone-format CSV to the same error; the kernel shows the live
 * training panel for fitDataset; the saved model loads in TF.js. Then a typed cell uses tf.data
 * with the check on.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import type { JupyterMessage } from "../../src/wire/message.js";
import { TestKernel } from "../kernel/client.js";
import { oracleReady, tfc, tfd, tfl } from "./tfjs-data-oracle.js";

const program = readFileSync(join(import.meta.dirname, "fixtures/abalone-node/program.js"), "utf8");
// Until cells without TypeScript syntax are checked as JavaScript (issue 12's type policy), this
// untyped JavaScript program needs the check off.
const NO_CHECK = "// @ts-nocheck\n";
const EPOCHS = 20;
const BATCH = 50;

/** 1000 seeded rows in abalone.csv's format; rings grow with length and weight. */
function abaloneCsv(): { text: string; xs: number[][]; ys: number[][] } {
  let s = 12345;
  const rnd = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  const lines = ["sex,length,diameter,height,weight.w,weight.s,weight.v,weight.sh,rings"];
  const xs: number[][] = [];
  const ys: number[][] = [];
  const sexes = ["M", "F", "I"];
  for (let i = 0; i < 1000; i++) {
    const len = 0.2 + 0.5 * rnd();
    const w = len ** 3 * (3 + rnd());
    const features = [len, len * (0.75 + 0.1 * rnd()), len * (0.3 + 0.1 * rnd()), w, w * 0.45, w * 0.2, w * 0.3];
    const rings = Math.max(1, Math.round(2 + 14 * len + 6 * w + 2 * (rnd() - 0.5)));
    const text = features.map((v) => v.toFixed(4));
    lines.push([sexes[i % 3], ...text, rings].join(","));
    xs.push([[1, 0, 2][i % 3], ...text.map(Number)]);
    ys.push([rings]);
  }
  return { text: `${lines.join("\n")}\n`, xs, ys };
}

const data = abaloneCsv();
let k: TestKernel;
const cwd = process.cwd();

beforeAll(async () => {
  await oracleReady();
  k = await TestKernel.start();
  writeFileSync(join(k.dir, "abalone.csv"), data.text);
  await k.execute("0", {}, 60_000);
});
afterAll(async () => {
  process.chdir(cwd);
  await k?.shutdown();
});

const ofType = (outputs: JupyterMessage[], type: string) => outputs.filter((m) => m.header.msg_type === type);

interface Artifacts {
  modelTopology: { config: { layers: { class_name: string; config: Record<string, unknown> }[] } };
  weightSpecs: unknown[];
  weightData: ArrayBuffer;
}

/** Mean squared error of a TF.js model over the whole CSV. */
async function mseOf(artifacts: Artifacts): Promise<number> {
  const model = await tfl.loadLayersModel(tfc.io.fromMemory(artifacts));
  const err = tfc.losses.meanSquaredError(tfc.tensor(data.ys), model.predict(tfc.tensor(data.xs)));
  return err.dataSync()[0];
}

/** The layers of a saved topology, as class name and the settings that fix its shape. */
function layerShapes(artifacts: Artifacts): unknown[] {
  return artifacts.modelTopology.config.layers.map((l) => ({
    className: l.class_name,
    units: l.config.units,
    activation: l.config.activation,
    batchInputShape: l.config.batch_input_shape,
  }));
}

test("abalone-node runs unchanged in a cell and learns as it does on TF.js", { timeout: 240_000 }, async () => {
  // deepts, in the kernel (seeded so the run is repeatable; the program itself is unchanged).
  await k.execute("tf.setSeed(1)");
  const r = await k.execute(`${NO_CHECK}${program}\nawait run(${EPOCHS}, ${BATCH});`, {}, 120_000);
  expect(r.reply.content.status, JSON.stringify(r.reply.content)).toBe("ok");
  const printed = TestKernel.streamText(r.outputs, "stdout").trim().split("\n");
  expect(printed).toEqual(Array.from({ length: EPOCHS }, (_, i) => `Epoch ${i + 1} of 100 completed.`));
  // fitDataset shows the same live panel as fit: one display, updated in place, ending complete.
  const shown = ofType(r.outputs, "display_data");
  expect(shown).toHaveLength(1);
  const updates = ofType(r.outputs, "update_display_data");
  expect(updates.length).toBeGreaterThanOrEqual(2);
  const last = updates.at(-1)!.content.data as Record<string, string>;
  expect(last["text/plain"]).toMatch(new RegExp(`Training: epoch ${EPOCHS}/${EPOCHS} .*done in .*loss .*val_loss`));
  expect(last["text/html"]).toMatch(/100%/);

  const modelJson = JSON.parse(readFileSync(join(k.dir, "trainedModel/model.json"), "utf8"));
  const bin = readFileSync(join(k.dir, "trainedModel", modelJson.weightsManifest[0].paths[0]));
  const ours: Artifacts = {
    modelTopology: modelJson.modelTopology,
    weightSpecs: modelJson.weightsManifest[0].weights,
    weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength),
  };

  // TF.js, the same program text, saving through a file:// router that keeps the artifacts.
  let saved: Artifacts | undefined;
  tfc.io.registerSaveRouter((url: string) =>
    String(url).startsWith("file://")
      ? tfc.io.withSaveHandler(async (artifacts: Artifacts) => {
          saved = artifacts;
          return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } };
        })
      : null,
  );
  const logged: string[] = [];
  const tfjs = { ...tfc, ...tfl, data: tfd };
  const AsyncFunction = (async () => {}).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<void>;
  process.chdir(k.dir); // 'file://./abalone.csv' is relative to the working directory
  await new AsyncFunction("tf", "console", `${program}\nawait run(${EPOCHS}, ${BATCH});`)(tfjs, {
    log: (line: string) => logged.push(line),
  });
  expect(logged).toEqual(printed);
  expect(saved).toBeDefined();
  expect(layerShapes(ours)).toEqual(layerShapes(saved!));

  // Both learned: far below the untrained error (targets around 10: mean square ≈ 117), better
  // than always predicting the mean, and about equally well.
  const meanSquare = data.ys.reduce((a, [y]) => a + y * y, 0) / data.ys.length;
  const mean = data.ys.reduce((a, [y]) => a + y, 0) / data.ys.length;
  const variance = data.ys.reduce((a, [y]) => a + (y - mean) ** 2, 0) / data.ys.length;
  const [mseOurs, mseTheirs] = [await mseOf(ours), await mseOf(saved!)];
  for (const mse of [mseOurs, mseTheirs]) {
    expect(mse).toBeLessThan(0.2 * meanSquare);
    expect(mse).toBeLessThan(variance);
  }
  expect(Math.abs(mseOurs - mseTheirs) / mseTheirs).toBeLessThan(0.25);
});

test("a typed cell: tf.data.csv rows, zip, batch and fitDataset type-check and train", {
  timeout: 60_000,
}, async () => {
  const r = await k.execute(
    `
const rows = tf.data.csv("abalone.csv", { columnConfigs: { rings: { isLabel: true } } });
const features = rows.map(({ xs, ys }) => ({ xs: [xs.length, xs.diameter, xs.height], ys: [ys.rings] }));
const net = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [3] })] });
net.compile({ optimizer: tf.train.adam(0.1), loss: "meanSquaredError" });
const hist = await net.fitDataset(features.batch(100), { epochs: 3, verbose: 0 });
const pairs = tf.data.zip({ a: tf.data.array([1, 2, 3]), b: tf.data.array([[1, 1], [2, 2], [3, 3]]) }).batch(2);
const first = (await pairs.take(1).toArray())[0];
const shapes: number[][] = [first.a.shape, first.b.shape];
[(await rows.columnNames()).length, hist.history.loss.length, shapes]`,
    {},
    60_000,
  );
  expect(r.reply.content.status, JSON.stringify(r.reply.content)).toBe("ok");
  const result = ofType(r.outputs, "execute_result")[0]!.content.data as Record<string, string>;
  expect(result["text/plain"].replace(/\s+/g, " ")).toBe("[ 9, 3, [ [ 2 ], [ 2, 2 ] ] ]");
  // A TypeScript cell (annotated) is checked against the typings; plain JavaScript is not.
  const bad = await k.execute(`const mapped: unknown = tf.data.array([1, 2]).map((x: number) => x.shape);`);
  expect(bad.reply.content).toMatchObject({ status: "error", ename: "CompileError" });
});

test("Tab completes tf.data and Dataset methods; Shift-Tab shows their docs", { timeout: 60_000 }, async () => {
  for (const [code, expected] of [
    ["tf.data.cs", "csv"],
    ["tf.data.array([1]).sh", "shuffle"],
    ["tf.util.shuffleC", "shuffleCombo"],
  ] as const) {
    const r = await k.request("shell", "complete_request", { code, cursor_pos: code.length });
    expect(r.content.matches, code).toContain(expected);
  }
  for (const [code, doc] of [
    ["tf.data.csv", /rows of a local CSV file/],
    ["tf.data.array([1]).batch", /Groups consecutive elements into batches/],
  ] as const) {
    const r = await k.request("shell", "inspect_request", { code, cursor_pos: code.length, detail_level: 0 });
    expect(r.content.found, code).toBe(true);
    expect(String((r.content.data as Record<string, string>)["text/plain"]), code).toMatch(doc);
  }
});
