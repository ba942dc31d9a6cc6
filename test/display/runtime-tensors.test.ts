import { describe, expect, it } from "vitest";
import * as tf from "../../src/runtime/index.js";
import { gradientGraphSvg, plot, toMimeBundle } from "../../src/display/index.js";
import { checkMarkup, checkSvg } from "./helpers.js";

describe("with the deepts runtime's own tensors", () => {
  it("shows a small tensor as its text and a table", () => {
    const t = tf.tensor([
      [1, 2],
      [3, 4],
    ]);
    const b = toMimeBundle(t);
    expect(b["text/plain"]).toBe(t.toString());
    checkMarkup(b["text/html"] as string, { html: true });
    expect(b["text/html"]).toContain(">4<");
  });

  it("plots tensors and draws a tf.trace", () => {
    expect(plot.line(tf.tensor([3, 1, 2])).data[0]).toMatchObject({ y: [3, 1, 2] });
    const w = tf.variable(tf.ones([2, 1]));
    const x = tf.tensor([
      [1, 2],
      [3, 4],
    ]);
    const traced = tf.trace(() => tf.sum(tf.matMul(x, w)), { sources: [w] });
    const svg = toMimeBundle(traced)["image/svg+xml"] as string;
    checkSvg(svg);
    expect(svg).toMatch(/gradient path: \d+ of \d+ ops/);
    expect(gradientGraphSvg(traced, { variables: [w] }).svg).toContain("1 variable");
  });
});

describe("plot.confusionMatrix", () => {
  type Heatmap = { z: number[][]; x: string[]; y: string[]; text?: string[][]; zmax?: number };
  const heatmapOf = (fig: { data: unknown[] }) => fig.data[0] as Heatmap;
  /** The numbers written in the SVG's cells, top row first, with their fill colour. */
  const cellTexts = (svg: string) =>
    [
      ...svg.matchAll(
        /<text x="[^"]+" y="[^"]+" text-anchor="middle" font-size="11" fill="(#000|#fff)">([^<]*)<\/text>/g,
      ),
    ].map((m) => ({ fill: m[1]!, text: m[2]! }));

  it("counts true (rows) against predicted (columns) classes from labels and argMax predictions", () => {
    const labels = tf.tensor1d([0, 1, 2, 2, 1, 0, 2], "int32");
    const probabilities = tf.tensor2d([
      [0.9, 0.05, 0.05],
      [0.1, 0.2, 0.7],
      [0.1, 0.1, 0.8],
      [0.2, 0.1, 0.7],
      [0.1, 0.8, 0.1],
      [0.3, 0.6, 0.1],
      [0.1, 0.1, 0.8],
    ]);
    const fig = plot.confusionMatrix(labels, tf.argMax(probabilities, -1), { classNames: ["cat", "dog", "bird"] });
    const t = heatmapOf(fig);
    expect(t.z).toEqual([
      [1, 1, 0],
      [0, 1, 1],
      [0, 0, 3],
    ]);
    expect(t.x).toEqual(["cat", "dog", "bird"]);
    expect(t.y).toEqual(["cat", "dog", "bird"]);
    expect(fig.layout.xaxis?.title?.text).toBe("predicted");
    expect(fig.layout.yaxis?.title?.text).toBe("true");
    // The static picture writes each count in its cell, row by row from the top; the darkest cell's in white.
    const svg = fig.toSVG();
    checkSvg(svg);
    const cells = cellTexts(svg);
    expect(cells.map((c) => c.text)).toEqual(["1", "1", "0", "0", "1", "1", "0", "0", "3"]);
    expect(cells[8]!.fill).toBe("#fff");
    expect(cells[2]!.fill).toBe("#000");
    // The interactive chart gets the same numbers.
    const json = toMimeBundle(fig)["application/vnd.plotly.v1+json"] as { data: Heatmap[] };
    expect(json.data[0]!.text).toEqual(t.z.map((row) => row.map(String)));
  });

  it("draws a tf.math.confusionMatrix result, normalized per true class on request", () => {
    const counts = tf.math.confusionMatrix([0, 0, 0, 1, 1], [0, 0, 1, 1, 1], 2);
    const fig = plot.confusionMatrix(counts, { normalize: true, title: "recall" });
    const t = heatmapOf(fig);
    expect(t.z[0]![0]).toBeCloseTo(2 / 3, 6);
    expect(t.z[1]).toEqual([0, 1]);
    expect(t.zmax).toBe(1);
    expect(t.text).toEqual([
      ["2 (67%)", "1 (33%)"],
      ["0 (0%)", "2 (100%)"],
    ]);
    expect(fig.layout.title?.text).toBe("recall");
    expect(
      plot.confusionMatrix([
        [3, 0],
        [1, 4],
      ]).data[0],
    ).toMatchObject({
      x: ["0", "1"],
      z: [
        [3, 0],
        [1, 4],
      ],
    });
  });

  it("names what is wrong with its input", () => {
    expect(() => plot.confusionMatrix([0, 1], [0])).toThrow(/2 labels but 1 predictions/);
    expect(() => plot.confusionMatrix(tf.oneHot(tf.tensor1d([0, 1], "int32"), 2), [0, 1])).toThrow(/argMax/);
    expect(() => plot.confusionMatrix([0, -1], [0, 1])).toThrow(/labels\[1\] is -1/);
    expect(() => plot.confusionMatrix([0, 3], [0, 1], { numClasses: 3 })).toThrow(/class 3 .* not below 3/);
    expect(() => plot.confusionMatrix([[1, 2, 3]])).toThrow(/square/);
    expect(() =>
      plot.confusionMatrix([
        [1, -2],
        [0, 1],
      ]),
    ).toThrow(/counts/);
    expect(() =>
      plot.confusionMatrix(
        [
          [1, 0],
          [0, 1],
        ],
        { classNames: ["a", "b", "c"] },
      ),
    ).toThrow(/3 classes/);
  });
});
