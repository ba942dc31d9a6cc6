/**
 * Custom layers written as TF.js programs write them — `class X extends tf.layers.Layer` with
 * `build`/`addWeight`, `call`, `computeOutputShape`, `getConfig`, `static className`,
 * `tf.serialization.registerClass` — run here the same as on real tfjs-layers: the same class
 * body, defined once over each implementation, gives the same outputs, training losses and saved
 * models, which load on either side through the registered class.
 */
import { beforeAll, describe, expect, test } from "vitest";
import * as tf from "../../src/tf.js";
import { tfc, tfl, oracleReady } from "./tfjs-oracle.js";
import { values, expectClose, randomTensor, expectSameOutputs, savedArtifacts } from "./helpers.js";

beforeAll(oracleReady);

type Any = ReturnType<typeof JSON.parse>;

/** The ops and layers namespace a program sees (`tf` in deepts, `tfc` + `tfl` in TF.js). */
interface Impl {
  ops: Any;
  layers: Any;
  serialization: Any;
  initializers: Any;
  regularizers: Any;
  constraints: Any;
  sequential: Any;
  model: Any;
  input: Any;
  train: Any;
}

const DEEPTS: Impl = tf as unknown as Impl & { ops: Any };
DEEPTS.ops = tf;
const TFJS: Impl = {
  ops: tfc,
  layers: tfl.layers,
  serialization: tfc.serialization,
  initializers: tfl.initializers,
  regularizers: tfl.regularizers,
  constraints: tfl.constraints,
  sequential: tfl.sequential,
  model: tfl.model,
  input: tfl.input,
  train: tfc.train,
};

const toTheirs = (t: tf.Tensor) => tfc.tensor(values(t), t.shape);

/**
 * tfjs-examples/custom-layer's Antirectifier (getClassName as a method, invokeCallHook, chained
 * tensor methods), unchanged but for the namespace it extends.
 */
function antirectifierClass({ ops, layers }: Impl) {
  return class Antirectifier extends layers.Layer {
    constructor() {
      super({});
      this.supportsMasking = true;
    }
    computeOutputShape(inputShape: Any) {
      return [inputShape[0], inputShape[1], inputShape[2], 2 * inputShape[3]];
    }
    call(inputs: Any, kwargs: Any) {
      let input = inputs;
      if (Array.isArray(input)) input = input[0];
      this.invokeCallHook(inputs, kwargs);
      const origShape = input.shape;
      const flatShape = [origShape[0], origShape[1] * origShape[2] * origShape[3]];
      const flattened = input.reshape(flatShape);
      const centered = ops.sub(flattened, flattened.mean(1).expandDims(1));
      const pos = centered.relu().reshape(origShape);
      const neg = centered.neg().relu().reshape(origShape);
      return ops.concat([pos, neg], 3);
    }
    getClassName() {
      return "Antirectifier";
    }
  };
}

/**
 * A layer with weights of every kind: a trainable scale (initializer, regularizer, constraint), a
 * non-trainable offset, an option saved in its config; `static get className`, `fromConfig` default.
 */
function scaleShiftClass({ ops, layers, initializers, regularizers, constraints }: Impl) {
  return class ScaleShift extends layers.Layer {
    static get className() {
      return "ScaleShift";
    }
    constructor(config: Any) {
      super(config);
      this.power = config.power ?? 1;
    }
    build(inputShape: Any) {
      const n = inputShape[inputShape.length - 1];
      this.scale = this.addWeight(
        "scale",
        [n],
        "float32",
        initializers.randomUniform({ minval: 0.5, maxval: 1.5, seed: 3 }),
        regularizers.l2({ l2: 0.01 }),
        true,
        constraints.nonNeg(),
      );
      this.offset = this.addWeight("offset", [n], "float32", initializers.constant({ value: 0.25 }), undefined, false);
    }
    call(inputs: Any) {
      return ops.tidy(() => {
        const x = Array.isArray(inputs) ? inputs[0] : inputs;
        return ops.add(ops.mul(ops.pow(x, this.power), this.scale.read()), this.offset.read());
      });
    }
    getConfig() {
      const config = super.getConfig();
      Object.assign(config, { power: this.power });
      return config;
    }
  };
}

/** Two inputs in, two outputs out: `[a + b, a · b]`, with a learned mixing weight. */
function mixClass({ ops, layers, initializers }: Impl) {
  return class Mix extends layers.Layer {
    static className = "Mix";
    build(inputShape: Any) {
      this.w = this.addWeight("w", [inputShape[0][1]], "float32", initializers.ones());
    }
    computeOutputShape(inputShape: Any) {
      return [inputShape[0], inputShape[1]];
    }
    call(inputs: Any) {
      const [a, b] = inputs;
      return [ops.add(a, ops.mul(b, this.w.read())), ops.mul(a, b)];
    }
  };
}

describe("tf.layers.Layer subclasses", () => {
  test("tf.layers.Layer is the layer class (tf.Layer too), and tf.layers.RNNCell / RNN the recurrent ones", () => {
    expect(tf.layers.Layer).toBe(tf.Layer);
    expect(tf.layers.dense({ units: 1 })).toBeInstanceOf(tf.layers.Layer);
    expect(tf.layers.lstmCell({ units: 1 })).toBeInstanceOf(tf.layers.RNNCell);
    expect(tf.layers.gru({ units: 1 })).toBeInstanceOf(tf.layers.RNN);
  });

  test("tfjs-examples' Antirectifier gives TF.js's outputs, alone and in a sequential model", () => {
    const Ours = antirectifierClass(DEEPTS);
    const Theirs = antirectifierClass(TFJS);
    const x = randomTensor([2, 3, 4, 2], 11);
    const ours = new Ours();
    const theirs = new Theirs();
    expect(ours.getClassName()).toBe("Antirectifier");
    expect(ours.name).toMatch(/^antirectifier/);
    const seen: number[][] = [];
    ours.setCallHook((inputs: tf.Tensor) => seen.push(inputs.shape));
    expectSameOutputs(ours.apply(x), theirs.apply(toTheirs(x)));
    expect(seen).toEqual([[2, 3, 4, 2]]);
    ours.clearCallHook();

    const m = tf.sequential();
    m.add(tf.layers.conv2d({ inputShape: [3, 4, 2], filters: 2, kernelSize: 1, kernelInitializer: "ones" }));
    m.add(new Ours());
    m.add(tf.layers.flatten());
    expect(m.outputShape).toEqual([null, 3 * 4 * 4]);
    const t = tfl.sequential();
    t.add(tfl.layers.conv2d({ inputShape: [3, 4, 2], filters: 2, kernelSize: 1, kernelInitializer: "ones" }));
    t.add(new Theirs());
    t.add(tfl.layers.flatten());
    expectSameOutputs(m.predict(x) as tf.Tensor, t.predict(toTheirs(x)));
  });

  test("a layer with trainable, constrained, regularized and frozen weights trains like TF.js's and reloads through its registered class", async () => {
    const Ours = scaleShiftClass(DEEPTS);
    const Theirs = scaleShiftClass(TFJS);
    tf.serialization.registerClass(Ours);
    tfc.serialization.registerClass(Theirs);
    tf.setSeed(5);
    const build = (impl: Impl, Layer: Any) => {
      const inp = impl.input({ shape: [3] });
      const h = impl.layers.dense({ units: 3, kernelInitializer: "ones", biasInitializer: "zeros" }).apply(inp);
      const scaled = new Layer({ power: 2 }).apply(h);
      const out = impl.layers.dense({ units: 1, kernelInitializer: "ones" }).apply(scaled);
      return impl.model({ inputs: inp, outputs: out });
    };
    const ours = build(DEEPTS, Ours) as tf.LayersModel;
    const theirs = build(TFJS, Theirs);
    const custom = ours.layers[2];
    expect(custom.getClassName()).toBe("ScaleShift");
    expect(custom.trainableWeights.map((w) => w.originalName)).toEqual([`${custom.name}/scale`]);
    expect(custom.nonTrainableWeights.map((w) => w.originalName)).toEqual([`${custom.name}/offset`]);
    theirs.setWeights(ours.getWeights().map(toTheirs));

    const x = randomTensor([8, 3], 12, -0.5, 0.5);
    const y = randomTensor([8, 1], 13);
    ours.compile({ optimizer: tf.train.sgd(0.05), loss: "meanSquaredError" });
    theirs.compile({ optimizer: tfc.train.sgd(0.05), loss: "meanSquaredError" });
    const offsetBefore = values(custom.getWeights()[1]);
    const ourLosses: number[] = [];
    const theirLosses: number[] = [];
    for (let step = 0; step < 4; step++) {
      ourLosses.push((await ours.trainOnBatch(x, y)) as number);
      theirLosses.push(await theirs.trainOnBatch(toTheirs(x), toTheirs(y)));
    }
    // The regularizer is in the loss on both sides; the frozen offset does not move.
    expectClose(ourLosses, theirLosses, 1e-4);
    expect(ourLosses[3]).toBeLessThan(ourLosses[0]);
    expect(values(custom.getWeights()[1])).toEqual(offsetBefore);
    expect(values(custom.getWeights()[0]).every((v) => v >= 0)).toBe(true);
    expectSameOutputs(ours.predict(x) as tf.Tensor, theirs.predict(toTheirs(x)), 1e-4);

    // deepts → deepts and deepts → TF.js through the registered classes.
    const artifacts = await savedArtifacts(ours, tf.io);
    expect(JSON.stringify(artifacts.modelTopology)).toContain('"class_name":"ScaleShift"');
    expect(JSON.stringify(artifacts.modelTopology)).toContain('"power":2');
    const again = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
    expect(again.layers[2].getClassName()).toBe("ScaleShift");
    expect((again.layers[2] as Any).power).toBe(2);
    expectSameOutputs(again.predict(x) as tf.Tensor, ours.predict(x));
    const inTfjs = await tfl.loadLayersModel(tfc.io.fromMemory(artifacts));
    expectSameOutputs(ours.predict(x) as tf.Tensor, inTfjs.predict(toTheirs(x)), 1e-4);
    // TF.js → deepts.
    const fromTfjs = await tf.loadLayersModel(tf.io.fromMemory(await savedArtifacts(theirs, tfc.io)));
    expectSameOutputs(fromTfjs.predict(x) as tf.Tensor, theirs.predict(toTheirs(x)), 1e-4);
  });

  test("multi-input, multi-output custom layers work in functional models, as in TF.js", () => {
    const Ours = mixClass(DEEPTS);
    const Theirs = mixClass(TFJS);
    const build = (impl: Impl, Layer: Any) => {
      const a = impl.input({ shape: [4] });
      const b = impl.input({ shape: [4] });
      const [sum, product] = new Layer({}).apply([a, b]);
      const out = impl.layers.concatenate().apply([sum, product]);
      return impl.model({ inputs: [a, b], outputs: [out, sum] });
    };
    const ours = build(DEEPTS, Ours) as tf.LayersModel;
    const theirs = build(TFJS, Theirs);
    expect(ours.outputs.map((o) => o.shape)).toEqual([
      [null, 8],
      [null, 4],
    ]);
    ours.layers[2].setWeights([randomTensor([4], 14)]);
    theirs.setWeights(ours.getWeights().map(toTheirs));
    const a = randomTensor([3, 4], 15);
    const b = randomTensor([3, 4], 16);
    expectSameOutputs(ours.predict([a, b]) as tf.Tensor[], theirs.predict([toTheirs(a), toTheirs(b)]));
  });

  test("custom layers without a static className use the class name; registering needs one", async () => {
    class NoName extends tf.layers.Layer {}
    const layer = new NoName({});
    expect(layer.getClassName()).toBe("NoName");
    expect(layer.name).toMatch(/^no_name/);
    expect(() => tf.serialization.registerClass(NoName)).toThrow(/static className/);
    class Unregistered extends tf.layers.Layer {
      static className = "UnregisteredLayerForTest";
    }
    const m = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [2] }), new Unregistered({})] });
    const artifacts = await savedArtifacts(m, tf.io);
    await expect(tf.loadLayersModel(tf.io.fromMemory(artifacts))).rejects.toThrow(
      /Unknown layer class 'UnregisteredLayerForTest'.*registerClass/,
    );
  });

  test("addWeight rejects duplicate names and bad shapes with the layer's name", () => {
    class Twice extends tf.layers.Layer {
      override build() {
        this.addWeight("w", [2], "float32");
        this.addWeight("w", [2], "float32");
      }
    }
    expect(() => new Twice({ name: "twice" }).apply(tf.ones([1, 2]))).toThrow(/twice: duplicate weight name 'w'/);
    class Bad extends tf.layers.Layer {
      override build() {
        this.addWeight("w", [2.5], "float32");
      }
    }
    expect(() => new Bad({ name: "bad" }).apply(tf.ones([1, 2]))).toThrow(/bad: addWeight\('w'\) needs a shape/);
  });

  test("a custom RNN cell runs in tf.layers.rnn like TF.js's", () => {
    const cellClass = ({ ops, layers, initializers }: Impl) =>
      class MinimalRNNCell extends layers.RNNCell {
        static className = "MinimalRNNCell";
        constructor(config: Any) {
          super(config);
          this.units = config.units;
          this.stateSize = config.units;
        }
        build(inputShape: Any) {
          this.kernel = this.addWeight(
            "kernel",
            [inputShape[inputShape.length - 1], this.units],
            null,
            initializers.ones(),
          );
          this.recurrentKernel = this.addWeight(
            "recurrent_kernel",
            [this.units, this.units],
            null,
            initializers.ones(),
          );
          this.built = true;
        }
        call(inputs: Any) {
          const [x, h] = inputs;
          const out = ops.tanh(ops.add(ops.matMul(x, this.kernel.read()), ops.matMul(h, this.recurrentKernel.read())));
          return [out, out];
        }
      };
    const Ours = cellClass(DEEPTS);
    const Theirs = cellClass(TFJS);
    const ours = tf.layers.rnn({ cell: new Ours({ units: 3 }), returnSequences: true });
    const theirs = tfl.layers.rnn({ cell: new Theirs({ units: 3 }), returnSequences: true });
    const x = randomTensor([2, 4, 2], 17, -0.3, 0.3);
    ours.apply(x);
    ours.setWeights(ours.getWeights().map((w, i) => randomTensor(w.shape, 18 + i, -0.5, 0.5)));
    theirs.apply(toTheirs(x));
    theirs.setWeights(ours.getWeights().map(toTheirs));
    expectSameOutputs(ours.apply(x) as tf.Tensor, theirs.apply(toTheirs(x)));
    expect(ours.weights.map((w) => w.originalName)).toEqual([`${ours.name}/kernel`, `${ours.name}/recurrent_kernel`]);
  });
});
