/** `tf.sequential`: a linear stack of layers, each fed the previous one's output. */
import type { ConfigDict } from "./registry.js";
import type * as tf from "./core.js";
import { LayersModel } from "./model.js";
import { Layer, InputLayer, type SymbolicTensor, input, type DType, type Shape } from "./topology.js";

/**
 * A model that is a plain stack of layers, each feeding the next: made by `tf.sequential()`. The
 * first layer's `inputShape` (or the first call) fixes the input; a whole model can be one of the layers.
 *
 * ```ts
 * const model = tf.sequential();
 * model.add(tf.layers.dense({ units: 16, activation: "relu", inputShape: [4] }));
 * model.add(tf.layers.dense({ units: 3, activation: "softmax" }));
 * ```
 */
export class Sequential extends LayersModel {
  static override className = "Sequential";
  private stack: Layer[] = [];

  constructor(args: { layers?: Layer[]; name?: string } = {}) {
    super({ name: args.name });
    for (const layer of args.layers ?? []) this.add(layer);
  }

  /** The layers in order (without the implicit InputLayer, as in TF.js). */
  override get layers(): Layer[] {
    return this.stack.slice();
  }

  /**
   * Appends a layer. The first layer needs `inputShape` (or the model is built on its first call).
   *
   * ```ts
   * const m = tf.sequential();
   * m.add(tf.layers.dense({ units: 8, inputShape: [4], activation: "relu" }));
   * m.add(tf.layers.dense({ units: 1 }));
   * ```
   */
  add(layer: Layer): void {
    if (!(layer instanceof Layer)) throw new Error("Sequential.add needs a layer, e.g. tf.layers.dense({ units: 4 })");
    if (layer instanceof InputLayer) {
      if (this.stack.length > 0 || this.isGraph) throw new Error("an InputLayer can only come first");
      this.inputs = [layer.output as SymbolicTensor];
      this.outputs = [layer.output as SymbolicTensor];
      return;
    }
    this.stack.push(layer);
    if (this.isGraph) {
      this.connect([layer]);
    } else if (this.stack.length === 1) {
      const inner = layer instanceof LayersModel && layer.isGraph ? layer.inputs : undefined;
      if (inner && inner.length !== 1)
        throw new Error(`a model with ${inner.length} inputs cannot be the first layer of a Sequential model`);
      const batchShape = inner ? inner[0].shape : layer.batchInputShape;
      if (!batchShape) return;
      const dtype = (inner ? inner[0].dtype : layer.dtype) as DType;
      const x = input({ batchShape, dtype, name: `${layer.name}_input` });
      this.inputs = [x];
      this.outputs = [x];
      this.connect([layer]);
    }
  }

  /** Builds the model for inputs of `inputShape` (with the batch axis) when no layer gave one. */
  override build(inputShape?: Shape | Shape[]): void {
    if (this.isGraph) return;
    if (this.stack.length === 0) throw new Error("Sequential model has no layers: add some with model.add(...)");
    const shape = inputShape && Array.isArray(inputShape[0]) ? (inputShape as Shape[])[0] : (inputShape as Shape);
    if (!shape) throw new Error("Sequential.build needs the input shape (with the batch axis), e.g. [null, 784]");
    const x = input({ batchShape: [null, ...shape.slice(1)] });
    this.inputs = [x];
    this.outputs = [x];
    this.connect(this.stack);
  }

  /** Removes the last layer. */
  pop(): void {
    if (this.stack.length === 0) throw new Error("Sequential.pop: the model has no layers");
    this.stack.pop();
    if (!this.isGraph) return;
    const last = this.stack[this.stack.length - 1];
    if (last) this.setGraph(this.inputs, [last.output as SymbolicTensor]);
    else this.outputs = [];
  }

  private connect(layers: Layer[]): void {
    let y = this.outputs[0];
    for (const layer of layers) {
      const out = layer.apply(y) as SymbolicTensor | SymbolicTensor[];
      if (Array.isArray(out))
        throw new Error(
          `layer ${layer.name} has several outputs: it cannot be used in a Sequential model (use the functional API)`,
        );
      y = out;
    }
    this.setGraph(this.inputs, [y]);
  }

  protected override ensureGraph(xs: tf.Tensor[]): void {
    if (this.isGraph || this.stack.length === 0) {
      if (this.stack.length === 0) throw new Error("Sequential model has no layers: add some with model.add(...)");
      return;
    }
    const x = input({ batchShape: [null, ...xs[0].shape.slice(1)], dtype: xs[0].dtype as DType });
    this.inputs = [x];
    this.outputs = [x];
    this.connect(this.stack);
  }

  override getConfig(): ConfigDict {
    if (!this.isGraph)
      throw new Error("Sequential model is not built yet: give the first layer an inputShape or call the model once");
    const layers = this.stack.map((layer, i) => {
      const config = layer.getConfig();
      if (i === 0 && !(layer instanceof LayersModel)) {
        config.batchInputShape = this.inputs[0].shape;
        config.dtype = this.inputs[0].dtype;
      }
      return { className: layer.getClassName(), config };
    });
    return { name: this.name, layers };
  }
}

/**
 * A linear stack of layers.
 *
 * ```ts
 * const model = tf.sequential({ layers: [
 *   tf.layers.dense({ units: 32, activation: "relu", inputShape: [784] }),
 *   tf.layers.dense({ units: 10, activation: "softmax" }),
 * ] });
 * ```
 */
export function sequential(args: { layers?: Layer[]; name?: string } = {}): Sequential {
  return new Sequential(args);
}
