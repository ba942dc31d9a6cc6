/**
 * Layers as a notebook user meets them, through the real kernel (`node dist/cli/main.js kernel`
 * over ZeroMQ): type-checked cells that extend `tf.layers.Layer`, register the class, train, save
 * to `file://` and load again; the functional API with recurrent states; every factory of
 * `tf.layers` callable.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
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

async function value(code: string, timeoutMs = 60_000): Promise<string> {
  const r = await k.execute(code, {}, timeoutMs);
  if (r.reply.content.status !== "ok")
    throw new Error(
      `cell failed: ${String(r.reply.content.ename)}: ${String(r.reply.content.evalue)}\n${(r.reply.content.traceback as string[] | undefined)?.join("\n")}`,
    );
  const result = r.outputs.find((m: JupyterMessage) => m.header.msg_type === "execute_result");
  return String((result?.content.data as Record<string, unknown> | undefined)?.["text/plain"] ?? "");
}

describe("layers in cells", () => {
  test("a typed custom layer extends tf.layers.Layer, trains in a model, saves and loads through its registered class", async () => {
    const dir = mkdtempSync(join(tmpdir(), "deepts-custom-layer-"));
    await value(`
class ScaleLayer extends tf.layers.Layer {
  static className = "ScaleLayer";
  factor: number;
  scale!: tf.LayerVariable;
  constructor(args: tf.LayerArgs & { factor?: number } = {}) {
    super(args);
    this.factor = args.factor ?? 1;
  }
  build(inputShape: tf.Shape | tf.Shape[]) {
    const shape = inputShape as tf.Shape;
    this.scale = this.addWeight("scale", [shape[shape.length - 1] as number], "float32", tf.initializers.ones());
  }
  computeOutputShape(inputShape: tf.Shape | tf.Shape[]) {
    return inputShape;
  }
  call(inputs: tf.Tensor | tf.Tensor[]) {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return tf.mul(x, tf.mul(this.scale.read(), this.factor));
  }
  getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), factor: this.factor };
  }
}
tf.serialization.registerClass(ScaleLayer);
const custom = tf.sequential();
custom.add(tf.layers.dense({ units: 3, inputShape: [2] }));
custom.add(new ScaleLayer({ factor: 2 }));
custom.add(tf.layers.dense({ units: 1 }));
custom.compile({ optimizer: tf.train.adam(0.05), loss: "meanSquaredError" });
const cx = tf.randomNormal([32, 2]);
const cy = cx.sum(1, true);
const history = await custom.fit(cx, cy, { epochs: 20, verbose: 0 });
await custom.save("file://${dir}");
const reloaded = await tf.loadLayersModel("file://${dir}/model.json");
`);
    const out = await value(
      `[history.history.loss[19] < history.history.loss[0], reloaded.layers[1].getClassName(), (reloaded.layers[1] as ScaleLayer).factor, tf.max(tf.abs(tf.sub(reloaded.predict(cx) as tf.Tensor, custom.predict(cx) as tf.Tensor))).dataSync()[0] < 1e-6].join(" ")`,
    );
    expect(out).toBe("'true ScaleLayer 2 true'");
  });

  test("encoder states feed a decoder in a type-checked functional cell", async () => {
    const out = await value(`
const encIn = tf.input({ shape: [6, 3] });
const decIn = tf.input({ shape: [4, 3] });
const [, h, c] = tf.layers.lstm({ units: 8, returnState: true }).apply(encIn) as tf.SymbolicTensor[];
const decoded = tf.layers.lstm({ units: 8, returnSequences: true }).apply(decIn, { initialState: [h, c] }) as tf.SymbolicTensor;
const probs = tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 5, activation: "softmax" }) }).apply(decoded) as tf.SymbolicTensor;
const s2s = tf.model({ inputs: [encIn, decIn], outputs: probs });
const p = s2s.predict([tf.ones([2, 6, 3]), tf.ones([2, 4, 3])]) as tf.Tensor;
JSON.stringify([probs.shape, p.shape])`);
    expect(out).toBe(`'[[null,4,5],[2,4,5]]'`);
  });

  test("every factory of tf.layers is a function in cells (type-checked)", async () => {
    const out = await value(`
const names: string[] = Object.keys(tf.layers);
const factories = names.filter((n) => typeof (tf.layers as Record<string, unknown>)[n] === "function");
const bidi: tf.layers.Layer = tf.layers.bidirectional({ layer: tf.layers.gru({ units: 2 }) });
[factories.length >= 80, bidi instanceof tf.layers.Layer, typeof tf.layers.RNN, typeof tf.layers.RNNCell].join(" ")`);
    expect(out).toBe("'true true function function'");
  });
});
