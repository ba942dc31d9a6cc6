/** Embedding: integer ids → learned vectors. */
import * as tf from "../core.js";
import { Layer, type LayerArgs, type Shape, type LayerVariable, type DType } from "../topology.js";
import { getInitializer, type InitializerIdentifier, type Initializer } from "../initializers.js";
import { getRegularizer, type Regularizer, type RegularizerIdentifier } from "../regularizers.js";
import { registerLayerClass } from "../registry.js";
import { serialize } from "./core.js";
import { positiveInt } from "./common.js";

export interface EmbeddingArgs extends LayerArgs {
  inputDim: number;
  outputDim: number;
  embeddingsInitializer?: InitializerIdentifier;
  embeddingsRegularizer?: RegularizerIdentifier;
  inputLength?: number | null;
  maskZero?: boolean;
}

/** Maps ids in [0, inputDim) of shape `[batch, …]` to vectors: output `[batch, …, outputDim]`. */
export class Embedding extends Layer {
  readonly inputDim: number;
  readonly outputDim: number;
  readonly inputLength: number | null;
  readonly embeddingsInitializer: Initializer;
  readonly embeddingsRegularizer: Regularizer | null;
  embeddings?: LayerVariable;

  constructor(args: EmbeddingArgs) {
    // inputDim here is the vocabulary size, not the generic "input width" option of other layers.
    const { inputDim, ...rest } = args ?? ({} as EmbeddingArgs);
    if (!rest.batchInputShape && !rest.inputShape && args?.inputLength != null) rest.inputShape = [args.inputLength];
    super(rest);
    this.inputDim = positiveInt("embedding: inputDim", inputDim);
    this.outputDim = positiveInt("embedding: outputDim", args.outputDim);
    this.inputLength = args.inputLength ?? null;
    this.embeddingsInitializer = getInitializer(args.embeddingsInitializer, "randomUniform");
    this.embeddingsRegularizer = getRegularizer(args.embeddingsRegularizer);
  }
  getClassName(): string {
    return "Embedding";
  }
  override build(): void {
    this.embeddings = this.addWeight("embeddings", [this.inputDim, this.outputDim], this.embeddingsInitializer, {
      regularizer: this.embeddingsRegularizer,
    });
    this.built = true;
  }
  override computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape, this.outputDim];
  }
  protected override outputDtype(): DType {
    return "float32";
  }
  call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return tf.tidy(() => {
      const ids = x.dtype === "int32" ? x : tf.cast(x, "int32");
      const flat = tf.reshape(ids, [-1]);
      const rows = tf.gather(this.embeddings!.read(), flat);
      return tf.reshape(rows, [...x.shape, this.outputDim]);
    });
  }
  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      inputDim: this.inputDim,
      outputDim: this.outputDim,
      embeddingsInitializer: serialize(this.embeddingsInitializer),
      embeddingsRegularizer: serialize(this.embeddingsRegularizer),
      inputLength: this.inputLength,
      maskZero: false,
    };
  }
}

registerLayerClass("Embedding", (c) => new Embedding(c as unknown as EmbeddingArgs));
