/** Embedding: integer ids → learned vectors. */
import * as tf from "../core.js";
import { Layer, type LayerArgs, type Shape, type LayerVariable } from "../topology.js";
import { getInitializer, type InitializerIdentifier, type Initializer } from "../initializers.js";
import { getRegularizer, type Regularizer, type RegularizerIdentifier } from "../regularizers.js";
import { getConstraint, type Constraint, type ConstraintIdentifier } from "../constraints.js";
import { registerClass, type ConfigDict } from "../registry.js";
import { oneShape, oneTensor, positiveInt, serialize } from "./common.js";

export interface EmbeddingArgs extends LayerArgs {
  /** Vocabulary size: ids are in [0, inputDim). */
  inputDim: number;
  /** Length of each vector. */
  outputDim: number;
  embeddingsInitializer?: InitializerIdentifier;
  embeddingsRegularizer?: RegularizerIdentifier;
  activityRegularizer?: RegularizerIdentifier;
  embeddingsConstraint?: ConstraintIdentifier;
  /** Length of the id sequences (when fixed); makes the layer a model's first layer. */
  inputLength?: number | number[] | null;
  /** Treat id 0 as padding: recurrent layers after it skip those steps. */
  maskZero?: boolean;
}

/** Maps ids in [0, inputDim) of shape `[batch, …]` to vectors: output `[batch, …, outputDim]`. */
export class Embedding extends Layer {
  static className = "Embedding";
  readonly inputDim: number;
  readonly outputDim: number;
  readonly inputLength: number | number[] | null;
  readonly maskZero: boolean;
  readonly embeddingsInitializer: Initializer;
  readonly embeddingsRegularizer: Regularizer | null;
  readonly embeddingsConstraint: Constraint | null;
  embeddings?: LayerVariable;

  constructor(args: EmbeddingArgs) {
    // inputDim here is the vocabulary size, not the generic "input width" option of other layers.
    const { inputDim, ...rest } = args ?? ({} as EmbeddingArgs);
    if (!rest.batchInputShape && !rest.inputShape) {
      const length = args?.inputLength ?? null;
      rest.batchInputShape = [rest.batchSize ?? null, ...(Array.isArray(length) ? length : [length])];
    }
    super(rest);
    this.inputDim = positiveInt("embedding: inputDim", inputDim);
    this.outputDim = positiveInt("embedding: outputDim", args.outputDim);
    this.inputLength = args.inputLength ?? null;
    this.maskZero = args.maskZero ?? false;
    this.supportsMasking = this.maskZero;
    this.embeddingsInitializer = getInitializer(args.embeddingsInitializer, "randomUniform");
    this.embeddingsRegularizer = getRegularizer(args.embeddingsRegularizer);
    this.activityRegularizer = getRegularizer(args.activityRegularizer);
    this.embeddingsConstraint = getConstraint(args.embeddingsConstraint);
  }
  override build(): void {
    this.embeddings = this.addWeight(
      "embeddings",
      [this.inputDim, this.outputDim],
      "float32",
      this.embeddingsInitializer,
      this.embeddingsRegularizer,
      true,
      this.embeddingsConstraint,
    );
    this.built = true;
  }
  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = oneShape(inputShape);
    if (this.inputLength === null) return [...shape, this.outputDim];
    const lengths = Array.isArray(this.inputLength) ? this.inputLength : [this.inputLength];
    if (lengths.length !== shape.length - 1)
      throw new Error(
        `${this.name}: inputLength ${JSON.stringify(this.inputLength)} does not fit input shape [${shape}]`,
      );
    const known = lengths.map((l, i) => {
      const d = shape[i + 1];
      if (l !== null && d !== null && l !== d)
        throw new Error(
          `${this.name}: inputLength ${JSON.stringify(this.inputLength)} does not fit input shape [${shape}]`,
        );
      return l ?? d;
    });
    return [shape[0], ...known, this.outputDim];
  }
  override computeMask(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor | null {
    if (!this.maskZero) return null;
    return tf.notEqual(oneTensor(this.name, inputs), 0);
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = oneTensor(this.name, inputs);
    return tf.tidy(() => {
      const ids = x.dtype === "int32" ? x : tf.cast(x, "int32");
      const rows = tf.gather(this.embeddings!.read(), tf.reshape(ids, [-1]));
      return tf.reshape(rows, [...x.shape, this.outputDim]);
    });
  }
  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      inputDim: this.inputDim,
      outputDim: this.outputDim,
      embeddingsInitializer: serialize(this.embeddingsInitializer),
      embeddingsRegularizer: serialize(this.embeddingsRegularizer),
      activityRegularizer: serialize(this.activityRegularizer),
      embeddingsConstraint: serialize(this.embeddingsConstraint),
      maskZero: this.maskZero,
      inputLength: this.inputLength,
    };
  }
}
registerClass(Embedding);
