/**
 * Writes a gallery of charts and diagrams to test-output/display/ for looking at (e.g. with
 * `chromium --headless --screenshot`), checking each is well-formed on the way.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  modelBundle,
  plot,
  tensorBundle,
  trainingPanel,
  gradientGraphSvg,
  type LayerLike,
} from "../../src/display/index.js";
import { checkMarkup, checkSvg, fakeTensor } from "./helpers.js";

const dir = "test-output/display";

describe("gallery", () => {
  it("writes charts, a model diagram, a gradient graph and HTML fragments", () => {
    mkdirSync(dir, { recursive: true });
    const xs = Array.from({ length: 200 }, (_, i) => i / 10);
    const line = plot.line(
      [
        { x: xs, y: xs.map(Math.sin), name: "sin" },
        { x: xs, y: xs.map((x) => Math.cos(x) / 2), name: "cos/2", dash: "dash" },
      ],
      { title: "Waves", xLabel: "t", yLabel: "amplitude" },
    );
    const img = Array.from({ length: 28 }, (_, i) =>
      Array.from({ length: 28 }, (_, j) => ((i - 14) ** 2 + (j - 14) ** 2 < 80 ? 1 : 0)),
    );
    const heat = Array.from({ length: 10 }, (_, i) =>
      Array.from({ length: 12 }, (_, j) => Math.sin(i / 3) * Math.cos(j / 4)),
    );
    const svgs: Record<string, string> = {
      line: line.toSVG(),
      histogram: plot
        .histogram(
          xs.map((x) => Math.sin(x * 7.3) + Math.cos(x * 2.1)),
          { title: "Histogram" },
        )
        .toSVG(),
      bar: plot.bar(["cat", "dog", "bird", "fish"], [3, 5, 2, 7], { title: "Pets" }).toSVG(),
      scatter: plot
        .scatter(
          xs.map(Math.sin),
          xs.map((x) => Math.sin(2 * x)),
          { title: "Lissajous" },
        )
        .toSVG(),
      heatmap: plot.heatmap(heat, { title: "Heatmap" }).toSVG(),
      image: plot.image(img, { title: "Image" }).toSVG(),
      subplots: plot
        .subplots(
          [
            line,
            plot.image(img, { title: "Image" }),
            plot.heatmap(heat, { title: "Heat" }),
            plot.bar([1, 2, 3], { title: "Bars" }),
          ],
          { cols: 2, title: "Subplots" },
        )
        .toSVG(),
    };
    const L = (
      name: string,
      cls: string,
      shape: (number | null)[],
      params: number,
      inputs: LayerLike[] = [],
    ): LayerLike => ({
      name,
      getClassName: () => cls,
      outputShape: shape,
      countParams: () => params,
      inboundNodes: inputs.length ? [{ inboundLayers: inputs }] : [],
    });
    const input = L("input_1", "InputLayer", [null, 28, 28, 1], 0);
    const conv = L("conv2d_1", "Conv2D", [null, 26, 26, 32], 320, [input]);
    const pool = L("max_pooling2d_1", "MaxPooling2D", [null, 13, 13, 32], 0, [conv]);
    const flat = L("flatten_1", "Flatten", [null, 5408], 0, [pool]);
    const a = L("dense_1", "Dense", [null, 128], 692352, [flat]);
    const b = L("dense_2", "Dense", [null, 128], 692352, [flat]);
    const cat = L("concatenate_1", "Concatenate", [null, 256], 0, [a, b]);
    const out = L("dense_3", "Dense", [null, 10], 2570, [cat]);
    svgs.model = modelBundle({
      name: "branchy",
      layers: [input, conv, pool, flat, a, b, cat, out],
      getClassName: () => "LayersModel",
    })["image/svg+xml"] as string;
    svgs.gradient = gradientGraphSvg({
      ops: [
        {
          id: 1,
          name: "MatMul",
          inputs: [
            { id: "x", shape: [4, 3], name: "x" },
            { id: "w", shape: [3, 1], name: "w", variable: true },
          ],
          outputs: [{ id: 10, shape: [4, 1] }],
        },
        {
          id: 2,
          name: "Add",
          inputs: [
            { id: 10, shape: [4, 1] },
            { id: "b", shape: [1], name: "b", variable: true },
          ],
          outputs: [{ id: 11, shape: [4, 1] }],
        },
        { id: 3, name: "Mean", inputs: [{ id: 11, shape: [4, 1] }], outputs: [{ id: 12, shape: [], name: "loss" }] },
      ],
    }).svg;
    for (const [name, svg] of Object.entries(svgs)) {
      checkSvg(svg);
      writeFileSync(`${dir}/${name}.svg`, svg);
    }
    const panel = trainingPanel({ epochs: 5, steps: 50, sink: { display() {}, update() {}, clear() {} } });
    panel.onTrainBegin();
    for (let e = 0; e < 3; e++) {
      panel.onEpochBegin(e);
      for (let k = 0; k < 50; k++)
        panel.onBatchEnd(k, {
          size: 32,
          loss: 2 * Math.exp(-(e * 50 + k) / 60) + 0.05 * Math.sin(k),
          acc: 1 - Math.exp(-(e * 50 + k) / 50),
        });
      panel.onEpochEnd(e, {
        loss: 2 * Math.exp(-(e + 1) * 0.8),
        acc: 1 - Math.exp(-(e + 1)),
        val_loss: 2.2 * Math.exp(-(e + 1) * 0.8),
        val_acc: 0.95 - Math.exp(-(e + 1)),
      });
    }
    const fragments = [panel[Symbol.for("Jupyter.display") as never] as unknown as () => Record<string, string>].map(
      (f) => f.call(panel)["text/html"]!,
    );
    fragments.push(
      tensorBundle(
        fakeTensor(
          [4, 6],
          Float32Array.from({ length: 24 }, (_, i) => (i - 10) / 3),
        ),
      )["text/html"] as string,
    );
    fragments.push(
      tensorBundle(
        fakeTensor(
          [12, 28, 28],
          Float32Array.from({ length: 12 * 784 }, (_, i) => ((i % 28) + Math.floor(i / 784)) / 40),
        ),
      )["text/html"] as string,
    );
    fragments.push(
      tensorBundle(
        fakeTensor(
          [300, 300],
          Float32Array.from({ length: 90000 }, (_, i) => Math.sin(i) * Math.cos(i / 7)),
        ),
      )["text/html"] as string,
    );
    for (const f of fragments) checkMarkup(f, { html: true });
    const page = `<html><body style="margin:8px;font-family:sans-serif">${Object.keys(svgs)
      .map((n) => `<img src="${n}.svg">`)
      .join("")}<hr>${fragments.join("<hr>")}</body></html>`;
    writeFileSync(`${dir}/gallery.html`, page);
    expect(Object.keys(svgs)).toHaveLength(9);
  });
});
