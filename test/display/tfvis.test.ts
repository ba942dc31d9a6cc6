/**
 * `tfvis` (tfjs-vis's API) against tfjs-vis's documented argument forms, with a recording sink:
 * every render and show function, tensors where tfjs-vis takes them, surfaces replaced in place
 * within a cell run, the visor, and the metrics against hand-computed values.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PLOTLY_MIME, resetPlotlySession, setDisplaySink, showsTraining } from "../../src/display/index.js";
import type { FigureSpec } from "../../src/display/index.js";
import { metrics, render, show, visor } from "../../src/display/tfvis/index.js";
import * as tf from "../../src/tf.js";
import { checkMarkup, checkSvg, recordingSink, type SinkCall } from "./helpers.js";

let sink: ReturnType<typeof recordingSink>;
beforeEach(() => {
  sink = recordingSink();
  setDisplaySink(sink);
  resetPlotlySession(); // a new cell run
});
afterEach(() => setDisplaySink(undefined));

type Shown = Exclude<SinkCall, { kind: "clear" }>;
const shown = () => sink.calls.filter((c): c is Shown => c.kind !== "clear");
const figureOf = (c: Shown) => c.data[PLOTLY_MIME] as FigureSpec;
const htmlOf = (c: Shown) => c.data["text/html"] as string;
const trace = (c: Shown, i = 0) => figureOf(c).data[i] as any;

describe("render.scatterplot and render.linechart", () => {
  it("draws one series of { x, y } points titled by the surface, on axes that include 0", async () => {
    const values = [
      { x: 130, y: 18 },
      { x: 165, y: 15 },
      { x: 150, y: 36 },
    ];
    await render.scatterplot(
      { name: "Horsepower v MPG" },
      { values },
      { xLabel: "Horsepower", yLabel: "MPG", height: 300 },
    );
    const [d] = shown();
    expect(d!.kind).toBe("display");
    const fig = figureOf(d!);
    expect(fig.data).toHaveLength(1);
    expect(trace(d!)).toMatchObject({
      type: "scatter",
      mode: "markers",
      x: [130, 165, 150],
      y: [18, 15, 36],
      name: "Series 1",
    });
    expect(fig.layout).toMatchObject({
      title: { text: "Horsepower v MPG" },
      height: 300,
      xaxis: { title: { text: "Horsepower" }, range: [0, 200] },
      yaxis: { title: { text: "MPG" }, range: [0, 40] },
      showlegend: false,
    });
    checkMarkup(htmlOf(d!), { html: true });
    checkSvg(d!.data["image/svg+xml"] as string);
  });

  it("draws several named series with their colours; zoomToFit and axis domains set the ranges", async () => {
    const a = [
      { x: 1, y: 10 },
      { x: 2, y: 12 },
    ];
    const b = [
      { x: 1, y: 11 },
      { x: 3, y: 9 },
    ];
    await render.scatterplot(
      { name: "two", tab: "Charts" },
      { values: [a, b], series: ["original", "predicted"] },
      { zoomToFit: true, seriesColors: ["#ff0000", "#0000ff"] },
    );
    const [d] = shown();
    expect(figureOf(d!).data.map((t) => t.name)).toEqual(["original", "predicted"]);
    expect(trace(d!, 1).marker.color).toBe("#0000ff");
    expect(figureOf(d!).layout.showlegend).toBe(true);
    expect(figureOf(d!).layout.xaxis?.range).toBeUndefined();
    expect(figureOf(d!).layout.xaxis?.title?.text).toBe("x");
    await render.linechart({ name: "line" }, { values: [a, b] }, { xAxisDomain: [0, 5], yAxisDomain: [5, 15] });
    const line = shown()[1]!;
    expect(trace(line)).toMatchObject({ type: "scatter", mode: "lines", name: "Series 1" });
    expect(trace(line, 1).name).toBe("Series 2");
    expect(figureOf(line).layout.xaxis?.range).toEqual([0, 5]);
    expect(figureOf(line).layout.yaxis?.range).toEqual([5, 15]);
  });

  it("refuses data that is not points, mismatched names or colours, and a missing surface", async () => {
    await expect(render.scatterplot({ name: "s" }, { values: [{ x: 1, y: "a" }] } as never)).rejects.toThrow(
      /point 0 must be \{ x: number, y: number \}/,
    );
    await expect(render.linechart({ name: "s" }, { values: [[{ x: 1, y: 1 }]], series: ["a", "b"] })).rejects.toThrow(
      /2 series names for 1 series/,
    );
    await expect(
      render.scatterplot({ name: "s" }, { values: [{ x: 1, y: 1 }] }, { seriesColors: ["red", "blue"] }),
    ).rejects.toThrow(/2 seriesColors for 1 series/);
    await expect(render.scatterplot(42 as never, { values: [] })).rejects.toThrow(/first argument must be a surface/);
    expect(sink.calls).toHaveLength(0);
  });
});

describe("surfaces", () => {
  it("replaces a surface's output within a cell run, and starts new outputs in the next", async () => {
    const data = (y: number) => ({ values: [{ x: 0, y }] });
    await render.linechart({ name: "A" }, data(1));
    await render.linechart({ name: "B" }, data(2));
    await render.linechart({ name: "A" }, data(3));
    await render.linechart({ name: "A", tab: "Other" }, data(4)); // another tab: another surface
    const [a, b, a2, other] = shown();
    expect([a!.kind, b!.kind, a2!.kind, other!.kind]).toEqual(["display", "display", "update", "display"]);
    expect(a2!.id).toBe(a!.id);
    expect(b!.id).not.toBe(a!.id);
    expect(other!.id).not.toBe(a!.id);
    expect(trace(a2!).y).toEqual([3]); // the full bundle, plotly figure included
    resetPlotlySession(); // the next cell
    await render.linechart({ name: "A" }, data(5));
    const next = shown()[4]!;
    expect(next.kind).toBe("display");
    expect(next.id).not.toBe(a!.id);
  });

  it("keeps the plotly.js loader in a replaced chart that carried it", async () => {
    await render.linechart({ name: "A" }, { values: [{ x: 0, y: 1 }] });
    await render.linechart({ name: "B" }, { values: [{ x: 0, y: 1 }] });
    await render.linechart({ name: "A" }, { values: [{ x: 0, y: 2 }] });
    const [a, b, a2] = shown();
    expect(htmlOf(a!)).toContain("data-deepts-plotly");
    expect(htmlOf(b!)).not.toContain("data-deepts-plotly");
    expect(htmlOf(a2!)).toContain("data-deepts-plotly");
  });

  it("takes visor surfaces and any object with a drawArea", async () => {
    const s = visor().surface({ name: "My Surface", tab: "My Tab" });
    expect(s).toMatchObject({ name: "My Surface", tab: "My Tab" });
    expect(visor().surface({ name: "My Surface", tab: "My Tab" })).toBe(s);
    await render.barchart(s, [{ index: 0, value: 1 }]);
    await render.barchart({ drawArea: s.drawArea }, [{ index: 0, value: 2 }]);
    const [first, second] = shown();
    expect(figureOf(first!).layout.title?.text).toBe("My Surface");
    expect(second!.kind).toBe("update");
    expect(second!.id).toBe(first!.id);
    const area = {};
    await render.barchart({ drawArea: area }, [{ index: 0, value: 3 }]);
    await render.barchart({ drawArea: area }, [{ index: 0, value: 4 }]);
    expect(shown()[3]!.id).toBe(shown()[2]!.id);
  });
});

describe("visor", () => {
  it("answers its methods as a notebook visor and knows the tabs surfaces used", async () => {
    const v = visor();
    expect(visor()).toBe(v);
    v.open();
    expect(v.isOpen()).toBe(true);
    v.toggle();
    expect(v.isOpen()).toBe(false);
    v.close();
    expect(v.isOpen()).toBe(false);
    v.open();
    expect(v.isOpen()).toBe(true);
    const fullscreen = v.isFullscreen();
    v.toggleFullScreen();
    expect(v.isFullscreen()).toBe(!fullscreen);
    v.unbindKeys();
    expect(v.keysAreBound).toBe(false);
    v.bindKeys();
    expect(v.keysAreBound).toBe(true);
    expect(() => v.setActiveTab("No Such Tab")).toThrow("Tab 'No Such Tab' does not exist");
    await render.table({ name: "t", tab: "Evaluation" }, { headers: ["a"], values: [[1]] });
    v.setActiveTab("Evaluation");
    expect(v.currentTab).toBe("Evaluation");
    expect(() => v.surface({} as never)).toThrow(/'name' property/);
  });
});

describe("render.barchart, histogram, heatmap, confusionMatrix, table", () => {
  it("barchart: [{ index, value }] with one colour or one per bar", async () => {
    const data = [
      { index: 0, value: 50 },
      { index: 1, value: 100 },
      { index: 2, value: 150 },
    ];
    await render.barchart({ name: "Bar chart" }, data, { xLabel: "i", yLabel: "v", color: ["#111111", "#222222"] });
    const [d] = shown();
    expect(trace(d!)).toMatchObject({ type: "bar", x: ["0", "1", "2"], y: [50, 100, 150] });
    expect(trace(d!).marker.color).toEqual(["#111111", "#222222", "#111111"]);
    expect(figureOf(d!).layout.xaxis?.title?.text).toBe("i");
    expect(d!.data["image/svg+xml"]).toContain('fill="#222222"');
    await render.barchart({ name: "Bar chart" }, [{ index: "cat", value: 3 }], { color: "#00ff00" });
    expect(trace(shown()[1]!)).toMatchObject({ x: ["cat"], y: [3], marker: { color: "#00ff00" } });
    await expect(render.barchart({ name: "b" }, [{ index: 0 }] as never)).rejects.toThrow(/data\[0\] must be/);
  });

  it("histogram: numbers, typed arrays and { value } objects; statistics first; at most maxBins bins", async () => {
    const values = [0, 1, 2, 2, 3, 3, 3, 4, 5, 9.5, Number.NaN, Number.POSITIVE_INFINITY, 0];
    await render.histogram({ name: "Histogram" }, values);
    const [stats, hist] = shown();
    expect(stats!.data["text/plain"]).toBe(
      [
        "Histogram",
        "Num Vals  Min  Max       # Zeros     # NaNs      # Infinity",
        "13        0    Infinity  2 (15.38%)  1 (7.692%)  1 (7.692%)",
      ].join("\n"),
    );
    checkMarkup(htmlOf(stats!), { html: true });
    const bars = trace(hist!);
    expect(bars.y.reduce((a: number, b: number) => a + b, 0)).toBe(11); // the finite values
    expect(bars.y.length).toBeLessThanOrEqual(12);
    expect(figureOf(hist!).layout.title?.text).toBe("Histogram");
    await render.histogram({ name: "h2" }, new Float32Array([1, 2, 3, 4]), {
      maxBins: 2,
      stats: false,
      color: "#123456",
    });
    const h2 = shown()[2]!;
    expect(trace(h2).y).toEqual([1, 3]); // bins [0, 2) and [2, 4]
    expect(trace(h2).marker.color).toBe("#123456");
    await render.histogram({ name: "h3" }, [{ value: 5 }, { value: 6 }], { stats: { numVals: 99 } });
    expect(shown()[3]!.data["text/plain"]).toBe("h3\nNum Vals\n99");
    await expect(render.histogram({ name: "h" }, [{ v: 1 }] as never)).rejects.toThrow(/data\[0\] must be a number/);
  });

  it("heatmap: column-major values (values[i] is the column at x = i), rowMajor, tensors, labels, colour maps", async () => {
    const values = [
      [4, 2, 8, 20],
      [1, 7, 2, 10],
      [3, 3, 20, 13],
    ];
    const xTickLabels = ["cheese", "pig", "font"];
    const yTickLabels = ["speed", "smoothness", "dexterity", "mana"];
    await render.heatmap(
      { name: "Heatmap" },
      { values, xTickLabels, yTickLabels },
      { colorMap: "greyscale", domain: [0, 20] },
    );
    const [d] = shown();
    expect(trace(d!)).toMatchObject({
      type: "heatmap",
      z: [
        [4, 1, 3],
        [2, 7, 3],
        [8, 2, 20],
        [20, 10, 13],
      ],
      x: xTickLabels,
      y: yTickLabels,
      zmin: 0,
      zmax: 20,
    });
    expect(trace(d!).colorscale).toEqual([
      [0, "rgb(0,0,0)"],
      [1, "rgb(255,255,255)"],
    ]);
    await render.heatmap({ name: "rows" }, { values: tf.tensor2d(values) }, { rowMajor: true });
    expect(trace(shown()[1]!).z).toEqual(values);
    await render.heatmap({ name: "tensor" }, { values: tf.tensor2d(values) });
    expect(trace(shown()[2]!).z).toEqual(trace(d!).z);
    await expect(render.heatmap({ name: "h" }, { values, xTickLabels: ["a"] })).rejects.toThrow(
      /1 xTickLabels for 3 x positions/,
    );
    await expect(render.heatmap({ name: "h" }, { values: tf.tensor1d([1, 2]) })).rejects.toThrow(
      /2-D array or Tensor2D/,
    );
    await expect(render.heatmap({ name: "h" }, { values }, { colorMap: "jet" as never })).rejects.toThrow(/colorMap/);
  });

  it("confusionMatrix: counts per (label, prediction), Class i labels, diagonal and text options", async () => {
    const values = [
      [4, 2, 8],
      [1, 7, 2],
      [3, 3, 20],
    ];
    await render.confusionMatrix({ name: "Confusion Matrix" }, { values });
    const [d] = shown();
    expect(trace(d!)).toMatchObject({ type: "heatmap", z: values, x: ["Class 0", "Class 1", "Class 2"] });
    expect(trace(d!).text[2]).toEqual(["3", "3", "20"]);
    expect(figureOf(d!).layout).toMatchObject({
      height: 400,
      xaxis: { title: { text: "prediction" } },
      yaxis: { title: { text: "label" } },
    });
    await render.confusionMatrix(
      { name: "cm2" },
      { values, tickLabels: ["a", "b", "c"] },
      { shadeDiagonal: false, showTextOverlay: false, colorMap: ["#ffffff", "#ff0000"] },
    );
    const t2 = trace(shown()[1]!);
    expect(t2.z).toEqual([
      [null, 2, 8],
      [1, null, 2],
      [3, 3, null],
    ]);
    expect(t2.text).toBeUndefined();
    expect(t2.colorscale).toEqual([
      [0, "#ffffff"],
      [1, "#ff0000"],
    ]);
    // Nothing off the diagonal: the diagonal stays coloured (as tfjs-vis).
    await render.confusionMatrix(
      { name: "cm3" },
      {
        values: [
          [2, 0],
          [0, 3],
        ],
      },
      { shadeDiagonal: false },
    );
    expect(trace(shown()[2]!).z).toEqual([
      [2, 0],
      [0, 3],
    ]);
    await expect(render.confusionMatrix({ name: "c" }, { values }, { colorMap: ["white", "red"] })).rejects.toThrow(
      /colorMap: Unsupported colour 'white'/,
    );
  });

  it("table: headers and rows; numbers with separators and at most 4 decimals; strings are HTML", () => {
    render.table(
      { name: "Table" },
      {
        headers: ["Col 1", "Col 2", "Col 3"],
        values: [
          [1, 2, 1234.56789],
          ["4", "5", "6"],
          ["<strong>7</strong>", true, false],
        ],
      },
    );
    const [d] = shown();
    const html = htmlOf(d!);
    checkMarkup(html, { html: true });
    expect(html).toContain(">1,234.5679<");
    expect(html).toContain("<strong>7</strong>");
    expect(html).toContain(">true<");
    expect(d!.data["text/plain"]).toBe(
      ["Table", "Col 1  Col 2  Col 3", "1      2      1,234.5679", "4      5      6", "7      true   false"].join("\n"),
    );
    expect(() => render.table({ name: "t" }, { values: [] } as never)).toThrow(/"headers" property/);
    expect(() => render.table({ name: "t" }, { headers: [] } as never)).toThrow(/"values" property/);
  });
});

describe("show", () => {
  it("history: one chart per metric group from a History, an array of logs or one array per metric", async () => {
    const h = { history: { loss: [1, 0.5, 0.25], val_loss: [1.2, 0.7, 0.4], acc: [0.2, 0.6, 0.9] } };
    await show.history({ name: "show.history" }, h, ["loss", "val_loss", "acc"]);
    const [loss, acc] = shown();
    expect(figureOf(loss!).data.map((t) => t.name)).toEqual(["loss", "val_loss"]);
    expect(trace(loss!, 1)).toMatchObject({ x: [0, 1, 2], y: [1.2, 0.7, 0.4] });
    expect(figureOf(loss!).layout).toMatchObject({
      title: { text: "show.history · loss" },
      xaxis: { title: { text: "Iteration" } },
      yaxis: { title: { text: "Value" } },
    });
    expect(figureOf(acc!).layout.yaxis?.range).toEqual([0, 1]);
    await show.history({ name: "logs" }, [{ loss: 3 }, { loss: 2 }], ["loss"], { zoomToFit: true });
    expect(trace(shown()[2]!).y).toEqual([3, 2]);
    await show.history({ name: "nested" }, [[{ loss: 3 }, { loss: 1 }], [{ acc: 0.5 }]], ["loss", "acc"], {
      zoomToFitAccuracy: true,
    });
    expect(trace(shown()[3]!).y).toEqual([3, 1]);
    expect(trace(shown()[4]!).y).toEqual([0.5]);
    expect(figureOf(shown()[4]!).layout.yaxis?.range).toBeUndefined();
    await expect(show.history({ name: "x" }, h, ["mse"])).rejects.toThrow(
      /no metric 'mse' \(it has loss, val_loss, acc\)/,
    );
  });

  it("fitCallbacks: tfjs-vis's callbacks, live charts per callback and metric group, full bundles at the end", async () => {
    expect(Object.keys(show.fitCallbacks({ name: "t" }, ["loss"]))).toEqual(["onEpochEnd", "onBatchEnd"]);
    const callbacks = show.fitCallbacks({ name: "Training Performance" }, ["loss", "val_loss", "mse"], {
      height: 200,
      callbacks: ["onEpochEnd"],
    });
    expect(Object.keys(callbacks)).toEqual(["onEpochEnd"]);
    expect(showsTraining(callbacks)).toBe(true);
    for (let e = 0; e < 5; e++) await callbacks.onEpochEnd!(e, { loss: 1 / (e + 1), val_loss: 2 / (e + 1), mse: 0.5 });
    await (callbacks as unknown as { onTrainEnd(): Promise<void> }).onTrainEnd();
    const calls = shown();
    const ids = [...new Set(calls.map((c) => c.id))];
    expect(ids).toHaveLength(2); // loss (with val_loss) and mse
    const last = (id: string) => calls.filter((c) => c.id === id).at(-1)!;
    const loss = figureOf(last(ids[0]!));
    expect(loss.data.map((t) => [t.name, (t as { y: number[] }).y])).toEqual([
      ["loss", [1, 1 / 2, 1 / 3, 1 / 4, 1 / 5]],
      ["val_loss", [2, 1, 2 / 3, 2 / 4, 2 / 5]],
    ]);
    expect(loss.layout).toMatchObject({
      title: { text: "Training Performance · onEpochEnd · loss" },
      height: 200,
      xaxis: { title: { text: "Epoch" } },
    });
    expect(figureOf(last(ids[1]!)).data[0]).toMatchObject({ name: "mse", y: [0.5, 0.5, 0.5, 0.5, 0.5] });
    // In between, only light updates (no plotly JSON): the frontends' limits on output rates.
    for (const c of calls.slice(2, -2)) expect(c.data[PLOTLY_MIME]).toBeUndefined();
    // Training again with the same callbacks in the same cell run continues the same charts.
    await callbacks.onEpochEnd!(5, { loss: 0.1, mse: 0.4 });
    await (callbacks as unknown as { onTrainEnd(): Promise<void> }).onTrainEnd();
    const more = shown().slice(calls.length);
    expect(more.every((c) => c.kind === "update" && ids.includes(c.id))).toBe(true);
    expect(figureOf(more.filter((c) => c.id === ids[0]).at(-1)!).data[0]!).toMatchObject({ name: "loss" });
    expect((figureOf(more.filter((c) => c.id === ids[0]).at(-1)!).data[0] as { y: number[] }).y).toHaveLength(6);
  });

  it("fitCallbacks in a real model.fit: batch and epoch charts, the panel's protocol followed", async () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [1], units: 1 })] });
    model.compile({ optimizer: "sgd", loss: "meanSquaredError", metrics: ["mse"] });
    const xs = tf.tensor2d([1, 2, 3, 4, 5, 6, 7, 8], [8, 1]);
    const ys = xs.mul(2);
    await model.fit(xs, ys, {
      epochs: 3,
      batchSize: 4,
      verbose: 0,
      callbacks: show.fitCallbacks({ name: "Model Training" }, ["loss", "mse"]),
    });
    const calls = shown();
    const titles = new Map<string, string>();
    for (const c of calls) if (c.data[PLOTLY_MIME]) titles.set(c.id!, figureOf(c).layout.title!.text);
    expect([...titles.values()].sort()).toEqual([
      "Model Training · onBatchEnd · loss",
      "Model Training · onBatchEnd · mse",
      "Model Training · onEpochEnd · loss",
      "Model Training · onEpochEnd · mse",
    ]);
    const epochLoss = [...titles].find(([, t]) => t === "Model Training · onEpochEnd · loss")![0];
    const final = calls.filter((c) => c.id === epochLoss).at(-1)!;
    expect(final.kind).toBe("update");
    expect(trace(final).y).toHaveLength(3);
    const batchLoss = [...titles].find(([, t]) => t === "Model Training · onBatchEnd · loss")![0];
    expect(trace(calls.filter((c) => c.id === batchLoss).at(-1)!).y).toHaveLength(6);
  });

  it("modelSummary and layer: the layer table and each weight's statistics and values", async () => {
    const model = tf.sequential();
    model.add(tf.layers.dense({ inputShape: [1], units: 3, useBias: true, name: "hidden" }));
    model.add(tf.layers.dense({ units: 1, name: "out" }));
    await show.modelSummary({ name: "Model Summary", tab: "Model Inspection" }, model);
    const [summary] = shown();
    expect(summary!.data["text/plain"]).toBe(
      [
        "Model Summary",
        "Layer Name  Output Shape  # Of Params  Trainable",
        "hidden      [batch,3]     6            true",
        "out         [batch,1]     4            true",
      ].join("\n"),
    );
    checkMarkup(htmlOf(summary!), { html: true });
    const hidden = model.getLayer(undefined, 0);
    hidden.setWeights([tf.tensor2d([[0, 2, Number.NaN]]), tf.tensor1d([0, 0, -1])]);
    await show.layer({ name: "Layer Summary" }, hidden);
    const [, weights, kernel, bias] = shown();
    expect((weights!.data["text/plain"] as string).split("\n").slice(1)).toEqual([
      "Weight Name    Shape  Min  Max  # Params  # Zeros  # NaNs  # Infinity",
      expect.stringMatching(/^hidden\/kernel\s+\[1,3\]\s+0\s+2\s+3\s+1\s+1\s+0$/),
      expect.stringMatching(/^hidden\/bias\s+\[3\]\s+-1\s+0\s+3\s+2\s+0\s+0$/),
    ]);
    expect(figureOf(kernel!).layout.title?.text).toBe("Layer Summary · hidden/kernel");
    expect(figureOf(bias!).layout).toMatchObject({
      title: { text: "Layer Summary · hidden/bias" },
      height: 150,
      width: 460,
    });
  });

  it("valuesDistribution, perClassAccuracy and confusionMatrix", async () => {
    await show.valuesDistribution({ name: "Values Distribution" }, tf.tensor1d([0, 0, 0, 0, 2, 3, 4]));
    const [stats, hist] = shown();
    expect((stats!.data["text/plain"] as string).split("\n")[2]).toBe("7         0    4    4 (57.14%)  0       0");
    expect(figureOf(hist!).layout.height).toBe(150);
    const acc = await metrics.perClassAccuracy(tf.tensor1d([0, 0, 1, 2, 2, 2]), tf.tensor1d([0, 0, 0, 2, 1, 1]));
    await show.perClassAccuracy({ name: "Per Class Accuracy" }, acc, ["cat", "dog", "mouse"]);
    expect(shown()[2]!.data["text/plain"]).toBe(
      [
        "Per Class Accuracy",
        "Class  Accuracy  # Samples",
        "cat    1         2",
        "dog    0         1",
        "mouse  0.3333    3",
      ].join("\n"),
    );
    await show.confusionMatrix({ name: "Confusion" }, [
      [1, 0],
      [2, 3],
    ]);
    expect(trace(shown()[3]!)).toMatchObject({
      z: [
        [1, 0],
        [2, 3],
      ],
      x: ["Class 0", "Class 1"],
    });
  });
});

describe("metrics", () => {
  const labels = () => tf.tensor1d([0, 0, 1, 2, 2, 2]);
  const predictions = () => tf.tensor1d([0, 0, 0, 2, 1, 1]);

  it("accuracy: the float32 share of equal values, for tensors of any equal shape", async () => {
    expect(await metrics.accuracy(labels(), predictions())).toBe(0.5);
    expect(await metrics.accuracy(tf.tensor1d([1, 2, 3, 4, 5, 6]), tf.tensor1d([1, 2, 3, 4, 0, 0]))).toBe(
      Math.fround(4 / 6),
    );
    expect(
      await metrics.accuracy(
        tf.tensor2d([
          [1, 2],
          [3, 4],
        ]),
        tf.tensor2d([
          [1, 0],
          [3, 4],
        ]),
      ),
    ).toBe(0.75);
    await expect(metrics.accuracy(tf.tensor1d([1, 2]), tf.tensor1d([1, 2, 3]))).rejects.toThrow(
      /Shapes \[2\] and \[3\] must match/,
    );
  });

  it("perClassAccuracy: [{ count, accuracy }] per class, numClasses from the data or given", async () => {
    expect(await metrics.perClassAccuracy(labels(), predictions())).toEqual([
      { count: 2, accuracy: 1 },
      { count: 1, accuracy: 0 },
      { count: 3, accuracy: 1 / 3 },
    ]);
    expect(await metrics.perClassAccuracy(labels(), predictions(), 4)).toEqual([
      { count: 2, accuracy: 1 },
      { count: 1, accuracy: 0 },
      { count: 3, accuracy: 1 / 3 },
      { count: 0, accuracy: 0 },
    ]);
    await expect(metrics.perClassAccuracy(tf.tensor2d([[0]]), tf.tensor2d([[0]]))).rejects.toThrow(
      /labels must be a 1D tensor/,
    );
    await expect(metrics.perClassAccuracy(labels(), tf.tensor1d([0]))).rejects.toThrow(/same length/);
  });

  it("confusionMatrix: number[][] of (label, prediction) counts, weights, numClasses", async () => {
    expect(await metrics.confusionMatrix(tf.tensor1d([1, 2, 4]), tf.tensor1d([2, 2, 4]))).toEqual([
      [0, 0, 0, 0, 0],
      [0, 0, 1, 0, 0],
      [0, 0, 1, 0, 0],
      [0, 0, 0, 0, 0],
      [0, 0, 0, 0, 1],
    ]);
    expect(await metrics.confusionMatrix(labels(), predictions())).toEqual([
      [2, 0, 0],
      [1, 0, 0],
      [0, 2, 1],
    ]);
    expect(
      await metrics.confusionMatrix(tf.tensor1d([0, 1, 1]), tf.tensor1d([0, 1, 0]), 3, tf.tensor1d([0.5, 2, 4])),
    ).toEqual([
      [0.5, 0, 0],
      [4, 2, 0],
      [0, 0, 0],
    ]);
    expect(await metrics.confusionMatrix(tf.tensor1d([0.9, 1.7]), tf.tensor1d([0, 1]))).toEqual([
      [1, 0],
      [0, 1],
    ]); // cast to int32, as tfjs-vis
    await expect(metrics.confusionMatrix(labels(), predictions(), 2)).rejects.toThrow(
      /labels\[3\] is 2, not a class index 0..1/,
    );
  });
});
