/**
 * What tfjs-examples' ACGAN relies on, against real tfjs-layers with the same weights: the weights a
 * model trains are fixed when it is compiled (the discriminator, frozen afterwards for the combined
 * model, still trains on its own), and a model used as a layer takes the `[batch, 1, n]` that an
 * embedding times a latent vector gives (only predict/fit check their data's shape).
 */
import { beforeAll, describe, expect, test } from "vitest";
import * as tf from "../../src/tf.js";
import { tfc, tfl, oracleReady } from "./tfjs-oracle.js";
import { expectClose, expectSameOutputs, randomTensor, values } from "./helpers.js";

beforeAll(oracleReady);

type Any = ReturnType<typeof JSON.parse>;
const DEEPTS = { input: tf.input, layers: tf.layers, model: tf.model, sequential: tf.sequential, train: tf.train };
const TFJS = { input: tfl.input, layers: tfl.layers, model: tfl.model, sequential: tfl.sequential, train: tfc.train };
const toTheirs = (t: tf.Tensor) => tfc.tensor(values(t), t.shape);

/** A small ACGAN: generator(latent, class) → 4×4 image; discriminator → [realness, class]; combined. */
function acgan(impl: Any) {
  const latentSize = 3;
  const body = impl.sequential({
    layers: [
      impl.layers.dense({ units: 16, inputShape: [latentSize], activation: "relu" }),
      impl.layers.reshape({ targetShape: [4, 4, 1] }),
    ],
  });
  const latent = impl.input({ shape: [latentSize] });
  const imageClass = impl.input({ shape: [1] });
  const embedded = impl.layers.embedding({ inputDim: 2, outputDim: latentSize }).apply(imageClass);
  const h = impl.layers.multiply().apply([latent, embedded]);
  const generator = impl.model({ inputs: [latent, imageClass], outputs: body.apply(h) });

  const image = impl.input({ shape: [4, 4, 1] });
  const features = impl.layers.flatten().apply(image);
  const realness = impl.layers.dense({ units: 1, activation: "sigmoid" }).apply(features);
  const aux = impl.layers.dense({ units: 2, activation: "softmax" }).apply(features);
  const discriminator = impl.model({ inputs: image, outputs: [realness, aux] });
  discriminator.compile({
    optimizer: impl.train.sgd(0.5),
    loss: ["binaryCrossentropy", "sparseCategoricalCrossentropy"],
  });

  const z = impl.input({ shape: [latentSize] });
  const c = impl.input({ shape: [1] });
  discriminator.trainable = false;
  const [fake, cls] = discriminator.apply(generator.apply([z, c]));
  const combined = impl.model({ inputs: [z, c], outputs: [fake, cls] });
  combined.compile({
    optimizer: impl.train.sgd(0.5),
    loss: ["binaryCrossentropy", "sparseCategoricalCrossentropy"],
  });
  return { generator, discriminator, combined };
}

function shareWeights(ours: tf.LayersModel, theirs: Any, seed: number) {
  ours.setWeights(ours.getWeights().map((w, i) => randomTensor(w.shape, seed + i, -0.5, 0.5)));
  theirs.setWeights(ours.getWeights().map(toTheirs));
}

describe("an ACGAN's training, as TF.js does it", () => {
  test("the generator runs its body on [batch, 1, latent]; both training steps match TF.js", async () => {
    const ours = acgan(DEEPTS);
    const theirs = acgan(TFJS);
    shareWeights(ours.generator, theirs.generator, 10);
    shareWeights(ours.discriminator, theirs.discriminator, 20);

    const z = randomTensor([4, 3], 30);
    const classes = tf.tensor2d([[0], [1], [1], [0]]);
    const images = ours.generator.predict([z, classes]) as tf.Tensor;
    expect(images.shape).toEqual([4, 4, 4, 1]);
    expectSameOutputs(images, theirs.generator.predict([toTheirs(z), toTheirs(classes)]));

    // The discriminator was compiled before it was frozen: it still trains on its own.
    const dBefore = ours.discriminator.getWeights().map(values);
    const realness = tf.tensor2d([[0.95], [0.95], [0], [0]]);
    const dOurs = (await ours.discriminator.trainOnBatch(images, [realness, classes])) as number[];
    // The example was written for TF.js 2.x, where this step trains; TF.js 4.22's frozen variables
    // refuse gradients, so its side is unfrozen for the step (the same weights train).
    theirs.discriminator.trainable = true;
    const dTheirs = await theirs.discriminator.trainOnBatch(toTheirs(images), [toTheirs(realness), toTheirs(classes)]);
    theirs.discriminator.trainable = false;
    expectClose(dOurs, dTheirs, 1e-4);
    expect(ours.discriminator.getWeights().map(values)).not.toEqual(dBefore);

    // The combined model was compiled after: it trains the generator only.
    const dAfter = ours.discriminator.getWeights().map(values);
    const gBefore = ours.generator.getWeights().map(values);
    const trick = tf.fill([4, 1], 0.95);
    const gOurs = (await ours.combined.trainOnBatch([z, classes], [trick, classes])) as number[];
    const gTheirs = await theirs.combined.trainOnBatch(
      [toTheirs(z), toTheirs(classes)],
      [toTheirs(trick), toTheirs(classes)],
    );
    expectClose(gOurs, gTheirs, 1e-4);
    expect(ours.discriminator.getWeights().map(values)).toEqual(dAfter);
    expect(ours.generator.getWeights().map(values)).not.toEqual(gBefore);
    expectSameOutputs(
      ours.generator.predict([z, classes]) as tf.Tensor,
      theirs.generator.predict([toTheirs(z), toTheirs(classes)]),
      1e-4,
    );
  });

  test("predict still checks its data against the model's inputs", () => {
    const m = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3] })] });
    expect(() => m.predict(tf.ones([4, 1, 3]))).toThrow(/input 0 should have shape \[null,3\], got \[4,1,3\]/);
  });

  test("freezing after compile takes effect when the model is compiled again", async () => {
    const m = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2] })] });
    m.compile({ optimizer: tf.train.sgd(0.1), loss: "meanSquaredError" });
    m.trainable = false;
    const before = m.getWeights().map(values);
    await m.trainOnBatch(tf.ones([2, 2]), tf.zeros([2, 1]));
    expect(m.getWeights().map(values)).not.toEqual(before);
    m.compile({ optimizer: tf.train.sgd(0.1), loss: "meanSquaredError" });
    await expect(m.trainOnBatch(tf.ones([2, 2]), tf.zeros([2, 1]))).rejects.toThrow(/no trainable weights/);
  });
});
