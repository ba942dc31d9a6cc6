/**
 * `tfvis` through the real kernel process over ZeroMQ: the "Making predictions from 2D data"
 * codelab's code, unchanged but for synthetic car records in place of the fetch, with the resident
 * `tfvis` and with `import * as tfvis from '@tensorflow/tfjs-vis'`; and a typed TypeScript cell.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { JupyterMessage } from "../../src/wire/message.js";
import { TestKernel } from "../kernel/client.js";

let k: TestKernel;
beforeAll(async () => {
  k = await TestKernel.start();
  await k.execute("0", {}, 60_000);
});
afterAll(async () => {
  await k?.shutdown();
});

type Data = Record<string, unknown>;
interface Figure {
  data: { type: string; name?: string; x?: number[]; y: number[] }[];
  layout: { title?: { text: string } };
}
const PLOTLY = "application/vnd.plotly.v1+json";
const dataOf = (m: JupyterMessage) => m.content.data as Data;
const displayIdOf = (m: JupyterMessage) => (m.content.transient as { display_id?: string } | undefined)?.display_id;
const displays = (outputs: JupyterMessage[]) =>
  outputs.filter((m) => m.header.msg_type === "display_data" || m.header.msg_type === "update_display_data");

async function ok(code: string, timeoutMs = 120_000): Promise<JupyterMessage[]> {
  const r = await k.execute(code, {}, timeoutMs);
  if (r.reply.content.status !== "ok")
    throw new Error(
      `cell failed: ${String(r.reply.content.ename)}: ${String(r.reply.content.evalue)}\n${(r.reply.content.traceback as string[] | undefined)?.join("\n")}`,
    );
  return r.outputs;
}

/** The codelab's code as published, with `getData`'s fetch replaced by synthetic records of the same shape. */
const CODELAB = `
async function getData() {
  // In place of: const carsDataResponse = await fetch('https://storage.googleapis.com/tfjs-tutorials/carsData.json');
  const carsData = Array.from({ length: 150 }, (_, i) => {
    const hp = 50 + ((i * 37) % 180);
    return { Name: 'car ' + i, Miles_per_Gallon: i % 17 === 0 ? null : 46 - hp * 0.15 + ((i * 7) % 5), Horsepower: hp };
  });
  const cleaned = carsData.map(car => ({
    mpg: car.Miles_per_Gallon,
    horsepower: car.Horsepower,
  }))
  .filter(car => (car.mpg != null && car.horsepower != null));

  return cleaned;
}

async function run() {
  // Load and plot the original input data that we are going to train on.
  const data = await getData();
  const values = data.map(d => ({
    x: d.horsepower,
    y: d.mpg,
  }));

  tfvis.render.scatterplot(
    {name: 'Horsepower v MPG'},
    {values},
    {
      xLabel: 'Horsepower',
      yLabel: 'MPG',
      height: 300
    }
  );

  // Create the model
  const model = createModel();
  tfvis.show.modelSummary({name: 'Model Summary'}, model);

  // Convert the data to a form we can use for training.
  const tensorData = convertToTensor(data);
  const {inputs, labels} = tensorData;

  // Train the model
  await trainModel(model, inputs, labels);
  console.log('Done Training');

  // Make some predictions using the model and compare them to the
  // original data
  testModel(model, data, tensorData);
}

function createModel() {
  // Create a sequential model
  const model = tf.sequential();

  // Add a single input layer
  model.add(tf.layers.dense({inputShape: [1], units: 1, useBias: true}));

  // Add an output layer
  model.add(tf.layers.dense({units: 1, useBias: true}));

  return model;
}

function convertToTensor(data) {
  return tf.tidy(() => {
    tf.util.shuffle(data);

    const inputs = data.map(d => d.horsepower)
    const labels = data.map(d => d.mpg);

    const inputTensor = tf.tensor2d(inputs, [inputs.length, 1]);
    const labelTensor = tf.tensor2d(labels, [labels.length, 1]);

    const inputMax = inputTensor.max();
    const inputMin = inputTensor.min();
    const labelMax = labelTensor.max();
    const labelMin = labelTensor.min();

    const normalizedInputs = inputTensor.sub(inputMin).div(inputMax.sub(inputMin));
    const normalizedLabels = labelTensor.sub(labelMin).div(labelMax.sub(labelMin));

    return {
      inputs: normalizedInputs,
      labels: normalizedLabels,
      inputMax,
      inputMin,
      labelMax,
      labelMin,
    }
  });
}

async function trainModel(model, inputs, labels) {
  // Prepare the model for training.
  model.compile({
    optimizer: tf.train.adam(),
    loss: tf.losses.meanSquaredError,
    metrics: ['mse'],
  });

  const batchSize = 32;
  const epochs = 50;

  return await model.fit(inputs, labels, {
    batchSize,
    epochs,
    shuffle: true,
    callbacks: tfvis.show.fitCallbacks(
      { name: 'Training Performance' },
      ['loss', 'mse'],
      { height: 200, callbacks: ['onEpochEnd'] }
    )
  });
}

function testModel(model, inputData, normalizationData) {
  const {inputMax, inputMin, labelMin, labelMax} = normalizationData;

  const [xs, preds] = tf.tidy(() => {

    const xsNorm = tf.linspace(0, 1, 100);
    const predictions = model.predict(xsNorm.reshape([100, 1]));

    const unNormXs = xsNorm
      .mul(inputMax.sub(inputMin))
      .add(inputMin);

    const unNormPreds = predictions
      .mul(labelMax.sub(labelMin))
      .add(labelMin);

    return [unNormXs.dataSync(), unNormPreds.dataSync()];
  });

  const predictedPoints = Array.from(xs).map((val, i) => {
    return {x: val, y: preds[i]}
  });

  const originalPoints = inputData.map(d => ({
    x: d.horsepower, y: d.mpg,
  }));

  tfvis.render.scatterplot(
    {name: 'Model Predictions vs Original Data'},
    {values: [originalPoints, predictedPoints], series: ['original', 'predicted']},
    {
      xLabel: 'Horsepower',
      yLabel: 'MPG',
      height: 300
    }
  );
}

await run();
`;

/** Checks the outputs of one run of the codelab. */
function checkCodelabOutputs(outputs: JupyterMessage[]): void {
  const shown = displays(outputs);
  // The last state of each output, in the order the outputs appeared.
  const last = new Map<string, Data>();
  for (const m of shown) {
    const id = displayIdOf(m);
    expect(id, "every tfvis output has a display id").toBeTruthy();
    if (m.header.msg_type === "display_data") expect(last.has(id!), "one display_data per output").toBe(false);
    else expect(last.has(id!), "updates follow their display").toBe(true);
    last.set(id!, dataOf(m));
  }
  const finals = [...last.values()];
  const titleOf = (d: Data) => (d[PLOTLY] as Figure | undefined)?.layout.title?.text;
  expect(finals.map((d) => titleOf(d) ?? String(d["text/plain"]).split("\n")[0])).toEqual([
    "Horsepower v MPG",
    "Model Summary",
    "Training Performance · onEpochEnd · loss",
    "Training Performance · onEpochEnd · mse",
    "Model Predictions vs Original Data",
  ]);
  // No training panel: tfvis's callbacks show the training.
  expect(finals.some((d) => String(d["text/plain"]).startsWith("Training:"))).toBe(false);

  const [scatter, summary, loss, mse, predictions] = finals as Data[];
  const data = (scatter![PLOTLY] as Figure).data;
  expect(data).toHaveLength(1);
  expect(data[0]).toMatchObject({ type: "scatter" });
  expect(data[0]!.y).toHaveLength(141); // 150 cars, 9 without mpg
  expect(String(summary!["text/plain"]).split("\n").slice(1)).toEqual([
    "Layer Name  Output Shape  # Of Params  Trainable",
    expect.stringMatching(/^dense(_\d+)?\s+\[batch,1\]\s+2\s+true$/),
    expect.stringMatching(/^dense(_\d+)?\s+\[batch,1\]\s+2\s+true$/),
  ]);
  expect(summary!["text/html"]).toContain("<table");
  for (const [fig, metric] of [
    [loss, "loss"],
    [mse, "mse"],
  ] as const) {
    // The final state of a live chart is the full bundle: plotly JSON, HTML and SVG.
    expect(Object.keys(fig!).sort()).toEqual([PLOTLY, "image/svg+xml", "text/html", "text/plain"]);
    const trace = (fig![PLOTLY] as Figure).data[0]!;
    expect(trace.name).toBe(metric);
    expect(trace.y).toHaveLength(50); // one point per epoch
    expect(trace.y.at(-1)!).toBeLessThan(trace.y[0]!); // it learned
  }
  // The live charts were updated in place while training (update_display_data), not re-displayed.
  const lossId = [...last].find(([, d]) => d === loss)![0];
  const lossUpdates = shown.filter((m) => displayIdOf(m) === lossId && m.header.msg_type === "update_display_data");
  expect(lossUpdates.length).toBeGreaterThanOrEqual(1);
  const final = (predictions![PLOTLY] as Figure).data;
  expect(final.map((t) => [t.name, t.y.length])).toEqual([
    ["original", 141],
    ["predicted", 100],
  ]);
  const streams = outputs.filter((m) => m.header.msg_type === "stream").map((m) => m.content.text as string);
  expect(streams.join("")).toContain("Done Training");
  // The run's own charts show training: no console line per epoch either.
  expect(streams.join("")).not.toMatch(/Epoch \d+\//);
}

/**
 * The tfvis parts of the "Handwritten digit recognition with CNNs" codelab: its model, training,
 * accuracy and confusion code as published, with a stand-in for its browser-only `MnistData` (random
 * images with labels) and its canvas drawing left out, at a smaller size (sizes and epochs are
 * constants of its code: 5500 → 600 training images, 10 → 2 epochs).
 */
const CNN_CODELAB = `
class MnistData {
  async load() {}
  batch(n) {
    return tf.tidy(() => ({ xs: tf.randomUniform([n, 784]), labels: tf.oneHot(tf.randomUniform([n], 0, 10, 'int32'), 10).toFloat() }));
  }
  nextTrainBatch(n) { return this.batch(n); }
  nextTestBatch(n) { return this.batch(n); }
}

async function run() {
  const data = new MnistData();
  await data.load();

  const model = getModel();
  tfvis.show.modelSummary({name: 'Model Architecture', tab: 'Model'}, model);

  await train(model, data);
  await showAccuracy(model, data);
  await showConfusion(model, data);
}

function getModel() {
  const model = tf.sequential();

  const IMAGE_WIDTH = 28;
  const IMAGE_HEIGHT = 28;
  const IMAGE_CHANNELS = 1;

  model.add(tf.layers.conv2d({
    inputShape: [IMAGE_WIDTH, IMAGE_HEIGHT, IMAGE_CHANNELS],
    kernelSize: 5,
    filters: 8,
    strides: 1,
    activation: 'relu',
    kernelInitializer: 'varianceScaling'
  }));
  model.add(tf.layers.maxPooling2d({poolSize: [2, 2], strides: [2, 2]}));
  model.add(tf.layers.conv2d({
    kernelSize: 5,
    filters: 16,
    strides: 1,
    activation: 'relu',
    kernelInitializer: 'varianceScaling'
  }));
  model.add(tf.layers.maxPooling2d({poolSize: [2, 2], strides: [2, 2]}));
  model.add(tf.layers.flatten());

  const NUM_OUTPUT_CLASSES = 10;
  model.add(tf.layers.dense({
    units: NUM_OUTPUT_CLASSES,
    kernelInitializer: 'varianceScaling',
    activation: 'softmax'
  }));

  const optimizer = tf.train.adam();
  model.compile({
    optimizer: optimizer,
    loss: 'categoricalCrossentropy',
    metrics: ['accuracy'],
  });

  return model;
}

async function train(model, data) {
  const metrics = ['loss', 'val_loss', 'acc', 'val_acc'];
  const container = {
    name: 'Model Training', tab: 'Model', styles: { height: '1000px' }
  };
  const fitCallbacks = tfvis.show.fitCallbacks(container, metrics);

  const BATCH_SIZE = 512;
  const TRAIN_DATA_SIZE = 600;
  const TEST_DATA_SIZE = 100;

  const [trainXs, trainYs] = tf.tidy(() => {
    const d = data.nextTrainBatch(TRAIN_DATA_SIZE);
    return [
      d.xs.reshape([TRAIN_DATA_SIZE, 28, 28, 1]),
      d.labels
    ];
  });

  const [testXs, testYs] = tf.tidy(() => {
    const d = data.nextTestBatch(TEST_DATA_SIZE);
    return [
      d.xs.reshape([TEST_DATA_SIZE, 28, 28, 1]),
      d.labels
    ];
  });

  return model.fit(trainXs, trainYs, {
    batchSize: BATCH_SIZE,
    validationData: [testXs, testYs],
    epochs: 2,
    shuffle: true,
    callbacks: fitCallbacks
  });
}

const classNames = ['Zero', 'One', 'Two', 'Three', 'Four', 'Five', 'Six', 'Seven', 'Eight', 'Nine'];

function doPrediction(model, data, testDataSize = 500) {
  const IMAGE_WIDTH = 28;
  const IMAGE_HEIGHT = 28;
  const testData = data.nextTestBatch(testDataSize);
  const testxs = testData.xs.reshape([testDataSize, IMAGE_WIDTH, IMAGE_HEIGHT, 1]);
  const labels = testData.labels.argMax(-1);
  const preds = model.predict(testxs).argMax(-1);

  testxs.dispose();
  return [preds, labels];
}

async function showAccuracy(model, data) {
  const [preds, labels] = doPrediction(model, data);
  const classAccuracy = await tfvis.metrics.perClassAccuracy(labels, preds);
  const container = {name: 'Accuracy', tab: 'Evaluation'};
  tfvis.show.perClassAccuracy(container, classAccuracy, classNames);

  labels.dispose();
}

async function showConfusion(model, data) {
  const [preds, labels] = doPrediction(model, data);
  const confusionMatrix = await tfvis.metrics.confusionMatrix(labels, preds);
  const container = {name: 'Confusion Matrix', tab: 'Evaluation'};
  tfvis.render.confusionMatrix(container, {values: confusionMatrix, tickLabels: classNames});

  labels.dispose();
}

await run();
`;

describe("tfjs-vis codelab in the kernel", () => {
  test("the 2D-data codelab runs unchanged with the resident tfvis", async () => {
    checkCodelabOutputs(await ok(CODELAB));
  });

  test("the same with import * as tfvis from '@tensorflow/tfjs-vis'", async () => {
    const outputs = await ok(`import * as tfvis from '@tensorflow/tfjs-vis';\n${CODELAB}`);
    checkCodelabOutputs(outputs);
    const r = await ok("import * as vis from '@tensorflow/tfjs-vis'; vis === tfvis && vis.render === tfvis.render");
    expect(dataOf(r.find((m) => m.header.msg_type === "execute_result")!)["text/plain"]).toBe("true");
  });

  test("the CNN codelab's tfvis calls: batch and epoch charts with validation, per-class accuracy, confusion matrix", async () => {
    const outputs = await ok(CNN_CODELAB, 300_000);
    const last = new Map<string, Data>();
    for (const m of displays(outputs)) last.set(displayIdOf(m)!, dataOf(m));
    const finals = [...last.values()];
    const titleOf = (d: Data) =>
      (d[PLOTLY] as Figure | undefined)?.layout.title?.text ?? String(d["text/plain"]).split("\n")[0];
    expect(finals.map(titleOf)).toEqual([
      "Model Architecture",
      "Model Training · onBatchEnd · loss",
      "Model Training · onBatchEnd · acc",
      "Model Training · onEpochEnd · loss",
      "Model Training · onEpochEnd · acc",
      "Accuracy",
      "Confusion Matrix",
    ]);
    const series = (d: Data) => (d[PLOTLY] as Figure).data.map((t) => [t.name, t.y.length]);
    expect(series(finals[1]!)).toEqual([["loss", 4]]); // 2 epochs of 2 batches (600 / 512)
    expect(series(finals[3]!)).toEqual([
      ["loss", 2],
      ["val_loss", 2],
    ]);
    expect(series(finals[4]!)).toEqual([
      ["acc", 2],
      ["val_acc", 2],
    ]);
    expect(String(finals[0]!["text/plain"])).toMatch(/conv2d\S*\s+\[batch,24,24,8\]\s+208\s+true/);
    const accuracy = String(finals[5]!["text/plain"]).split("\n");
    expect(accuracy[1]).toMatch(/^Class\s+Accuracy\s+# Samples$/);
    expect(accuracy.slice(2).map((l) => l.split(/\s+/)[0])).toEqual([
      "Zero",
      "One",
      "Two",
      "Three",
      "Four",
      "Five",
      "Six",
      "Seven",
      "Eight",
      "Nine",
    ]);
    const samples = accuracy.slice(2).reduce((n, l) => n + Number(l.split(/\s+/)[2]), 0);
    expect(samples).toBe(500);
    const confusion = (finals[6]![PLOTLY] as { data: { z: number[][]; x: string[] }[] }).data[0]!;
    expect(confusion.x).toHaveLength(10);
    expect(confusion.z.flat().reduce((a, b) => a + b, 0)).toBe(500);
  });

  test("a typed TypeScript cell using tfvis passes the type check; a wrong type fails it", async () => {
    const outputs = await ok(`
const surface: tfvis.SurfaceInfo = { name: "Typed", tab: "Charts" };
const points: tfvis.Point2D[] = [{ x: 1, y: 2 }, { x: 2, y: 3 }];
const xy: tfvis.XYPlotData = { values: [points, points], series: ["a", "b"] };
await tfvis.render.linechart(surface, xy, { zoomToFit: true, xLabel: "x", seriesColors: ["red", "blue"] });
await tfvis.render.scatterplot(tfvis.visor().surface({ name: "Visor surface", tab: "Charts" }), { values: points });
const heat: tfvis.HeatmapData = { values: tf.tensor2d([[1, 2], [3, 4]]) as tf.Tensor2D, xTickLabels: ["a", "b"] };
await tfvis.render.heatmap({ name: "Heat" }, heat, { colorMap: "blues" });
await tfvis.render.barchart({ name: "Bars" }, [{ index: 0, value: 1 }], { color: "#336699" });
await tfvis.render.histogram({ name: "Hist" }, new Float32Array([1, 2, 3]), { maxBins: 4 });
tfvis.render.table({ name: "Table" }, { headers: ["a"], values: [[1]] });
const model: tf.Sequential = tf.sequential({ layers: [tf.layers.dense({ inputShape: [1], units: 1 })] });
model.compile({ optimizer: "sgd", loss: "meanSquaredError", metrics: ["accuracy"] });
const callbacks = tfvis.show.fitCallbacks({ name: "Fit" }, ["loss", "acc"], { callbacks: ["onEpochEnd"] });
const history: tf.History = await model.fit(tf.ones([4, 1]), tf.ones([4, 1]), { epochs: 2, callbacks });
await tfvis.show.history({ name: "History" }, history, ["loss"]);
await tfvis.show.modelSummary({ name: "Summary" }, model);
await tfvis.show.layer({ name: "Layer" }, model.getLayer(undefined, 0));
await tfvis.show.valuesDistribution({ name: "Values" }, tf.tensor1d([0, 1, 2]));
const labels: tf.Tensor1D = tf.tensor1d([0, 1, 1]);
const preds: tf.Tensor1D = tf.tensor1d([0, 1, 0]);
const acc: number = await tfvis.metrics.accuracy(labels, preds);
const perClass: { accuracy: number; count: number }[] = await tfvis.metrics.perClassAccuracy(labels, preds);
const matrix: number[][] = await tfvis.metrics.confusionMatrix(labels, preds, 2);
await tfvis.show.perClassAccuracy({ name: "Per class" }, perClass, ["zero", "one"]);
await tfvis.render.confusionMatrix({ name: "Confusion" }, { values: matrix, tickLabels: ["zero", "one"] });
const v: tfvis.Visor = tfvis.visor();
v.setActiveTab("Charts");
[acc, matrix.length, v.isOpen()].join(" ")`);
    expect(dataOf(outputs.find((m) => m.header.msg_type === "execute_result")!)["text/plain"]).toBe(
      "'0.6666666865348816 2 true'",
    );
    const bad = await k.execute(`const p: tfvis.Point2D = { x: "one", y: 2 };`);
    expect(bad.reply.content).toMatchObject({ status: "error", ename: "CompileError" });
    const r = await k.request("shell", "complete_request", { code: "tfvis.render.sca", cursor_pos: 16 });
    expect(r.content.matches).toContain("scatterplot");
    // Shift-Tab shows the docs.
    for (const [code, doc] of [
      ["tfvis.render.scatterplot", "A scatter plot of one or more series"],
      ["tfvis.show.fitCallbacks", "Callbacks for `model.fit`"],
      ["tfvis.metrics.perClassAccuracy", "Accuracy and number of samples of each class"],
      ["tfvis.visor", "The visor (one per kernel)"],
    ] as const) {
      const help = await k.request("shell", "inspect_request", { code, cursor_pos: code.length, detail_level: 0 });
      expect((help.content.data as Record<string, string>)["text/plain"], code).toContain(doc);
    }
  });
});
