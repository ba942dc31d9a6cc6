/** Display works with TensorFlow.js's own tensors, models and fit callbacks (duck typing). */
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import * as tfl from "@tensorflow/tfjs-layers";
import { afterEach, describe, expect, it } from "vitest";
import { modelSummaryText, setDisplaySink, toMimeBundle, TrainingPanel } from "../../src/display/index.js";
import { checkMarkup, checkSvg, recordingSink } from "./helpers.js";

afterEach(() => {
  setDisplaySink(undefined);
});

describe("TensorFlow.js objects", () => {
  it("tensors show TF.js's text and a table", async () => {
    await tf.setBackend("cpu");
    const t = tf.tensor2d([
      [1, 2],
      [3, 4],
    ]);
    const b = toMimeBundle(t);
    expect(b["text/plain"]).toBe(t.toString());
    checkMarkup(b["text/html"] as string, { html: true });
  });

  it("functional models show a diagram and a summary with branches", () => {
    const input = tfl.input({ shape: [8] });
    const a = tfl.layers.dense({ units: 4, name: "left" }).apply(input) as tfl.SymbolicTensor;
    const b = tfl.layers.dense({ units: 4, name: "right", trainable: false }).apply(input) as tfl.SymbolicTensor;
    const c = tfl.layers.concatenate().apply([a, b]) as tfl.SymbolicTensor;
    const out = tfl.layers.dense({ units: 1, name: "out" }).apply(c) as tfl.SymbolicTensor;
    const model = tfl.model({ inputs: input, outputs: out });
    const bundle = toMimeBundle(model);
    const svg = bundle["image/svg+xml"] as string;
    expect(checkSvg(svg).filter((n) => n === "polyline")).toHaveLength(5);
    for (const name of ["left", "right", "out", "[null,8]"]) expect(svg).toContain(name);
    const text = modelSummaryText(model);
    expect(text).toContain(`Total params: ${model.countParams()}`);
    expect(text).toContain("Non-trainable params: 36");
  });

  it("TrainingPanel works as a TF.js fit callback", async () => {
    const sink = recordingSink();
    setDisplaySink(sink);
    const model = tfl.sequential({ layers: [tfl.layers.dense({ units: 1, inputShape: [2] })] });
    model.compile({ optimizer: "sgd", loss: "meanSquaredError" });
    const panel = new TrainingPanel({ epochs: 2, samples: 32, batchSize: 8 });
    await model.fit(tf.randomNormal([32, 2]), tf.randomNormal([32, 1]), {
      epochs: 2,
      batchSize: 8,
      validationSplit: 0.25,
      verbose: 0,
      callbacks: [panel],
    });
    const last = sink.calls[sink.calls.length - 1]!;
    expect(last.kind).toBe("update");
    const text = last.kind === "update" ? (last.data["text/plain"] as string) : "";
    expect(text).toContain("epoch 2/2");
    expect(text).toContain("done in");
    expect(text).toContain("val_loss");
    expect(panel.epochs).toHaveLength(2);
  });
});
