/**
 * Wrappers: TimeDistributed (a layer applied to every time step) and Bidirectional (a recurrent
 * layer run forwards and backwards, outputs merged). Weight names follow TF.js:
 * `time_distributed/kernel`, `bidirectional/forward_lstm/kernel`.
 */
import * as tf from "../core.js";
import {
  isShapeList,
  isSymbolic,
  Layer,
  type CallArgs,
  type LayerArgs,
  type Shape,
  type SymbolicTensor,
} from "../topology.js";
import {
  deserialize,
  registerClass,
  type ClassConfig,
  type SerializableConstructor,
  type ConfigDict,
} from "../registry.js";
import { withNameScope } from "../variables.js";
import { oneShape, oneTensor } from "./common.js";
import { RNN } from "./recurrent.js";
import { stateSizes } from "./rnn-cells.js";

export interface WrapperArgs extends LayerArgs {
  /** The wrapped layer. */
  layer: Layer;
}

/** The common base: the wrapped layer and its serialization. */
abstract class Wrapper extends Layer {
  readonly layer: Layer;
  constructor(args: WrapperArgs) {
    super(args);
    if (!(args?.layer instanceof Layer))
      throw new Error(`${this.getClassName()} needs { layer }, e.g. a tf.layers.dense(…)`);
    this.layer = args.layer;
  }
  override getConfig(): ConfigDict {
    return { ...super.getConfig(), layer: { className: this.layer.getClassName(), config: this.layer.getConfig() } };
  }
  static override fromConfig<T>(cls: SerializableConstructor<T>, config: Record<string, unknown>): T {
    return new cls({ ...config, layer: deserialize<Layer>(config.layer as ClassConfig) });
  }
}

/**
 * Applies `layer` to every time step of `[batch, steps, …]` inputs (the same weights for all steps).
 *
 * ```ts
 * tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 8 }), inputShape: [10, 16] }); // → [batch, 10, 8]
 * ```
 */
export class TimeDistributed extends Wrapper {
  static className = "TimeDistributed";
  constructor(args: WrapperArgs) {
    super(args);
    this.supportsMasking = true;
  }
  protected override trackedLayers(): Layer[] {
    return [this.layer];
  }
  private stepShape(inputShape: Shape | Shape[]): Shape {
    const shape = oneShape(inputShape);
    if (shape.length < 3)
      throw new Error(
        `${this.name} expects inputs [batch, steps, …] of rank ≥ 3, got shape [${shape.map((d) => d ?? "null")}]`,
      );
    return [shape[0], ...shape.slice(2)];
  }
  override build(inputShape: Shape | Shape[]): void {
    if (!this.layer.built) {
      this.layer.build(this.stepShape(inputShape));
      this.layer.built = true;
    }
    this.built = true;
  }
  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const out = this.layer.computeOutputShape(this.stepShape(inputShape));
    if (isShapeList(out)) throw new Error(`${this.name}: the wrapped layer must have one output`);
    return [out[0], oneShape(inputShape)[1], ...out.slice(1)];
  }
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: CallArgs = {}): tf.Tensor {
    const x = oneTensor(this.name, inputs);
    const { mask: _, ...rest } = kwargs;
    return tf.tidy(() => {
      const [batch, steps] = x.shape;
      const merged = tf.reshape(x, [batch * steps, ...x.shape.slice(2)]);
      const y = this.layer.call(merged, rest);
      if (Array.isArray(y)) throw new Error(`${this.name}: the wrapped layer must have one output`);
      return tf.reshape(y, [batch, steps, ...y.shape.slice(1)]);
    });
  }
}
registerClass(TimeDistributed);

export type BidirectionalMergeMode = "sum" | "mul" | "concat" | "ave" | null;

export interface BidirectionalArgs extends WrapperArgs {
  /** How the two directions' outputs combine (default 'concat'; null: return both). */
  mergeMode?: BidirectionalMergeMode;
}

const MERGE_MODES = new Set(["sum", "mul", "concat", "ave", null]);

/**
 * Runs a recurrent layer over the sequence forwards and (a copy) backwards and merges the two
 * outputs. Initial states: the forward layer's, then the backward layer's.
 *
 * ```ts
 * tf.layers.bidirectional({ layer: tf.layers.lstm({ units: 8, returnSequences: true }), inputShape: [20, 4] }); // → [batch, 20, 16]
 * ```
 */
export class Bidirectional extends Wrapper {
  static className = "Bidirectional";
  readonly forwardLayer: RNN;
  readonly backwardLayer: RNN;
  readonly mergeMode: BidirectionalMergeMode;
  readonly returnSequences: boolean;
  readonly returnState: boolean;

  constructor(args: BidirectionalArgs) {
    super(args);
    if (!(args.layer instanceof RNN))
      throw new Error(
        `bidirectional needs a recurrent layer (lstm, gru, simpleRNN, rnn), got ${args.layer.getClassName()}`,
      );
    if (args.weights)
      throw new Error("bidirectional: the weights option is not supported; use setWeights after building");
    const config = args.layer.getConfig();
    const className = args.layer.getClassName();
    this.forwardLayer = deserialize<RNN>({ className, config: { ...config } });
    this.backwardLayer = deserialize<RNN>({ className, config: { ...config, goBackwards: !config.goBackwards } });
    this.forwardLayer.name = `forward_${this.forwardLayer.name}`;
    this.backwardLayer.name = `backward_${this.backwardLayer.name}`;
    const mode = args.mergeMode === undefined ? "concat" : args.mergeMode;
    if (!MERGE_MODES.has(mode))
      throw new Error(
        `bidirectional: mergeMode must be 'concat', 'sum', 'mul', 'ave' or null, got ${JSON.stringify(mode)}`,
      );
    this.mergeMode = mode;
    this._stateful = args.layer.stateful;
    this.returnSequences = args.layer.returnSequences;
    this.returnState = args.layer.returnState;
    this.supportsMasking = true;
    this.inputSpec = args.layer.inputSpec;
    // An input shape given to the wrapped layer makes this a model's first layer, as in Keras.
    if (!this.batchInputShape && args.layer.batchInputShape) this.batchInputShape = args.layer.batchInputShape.slice();
  }

  override get trainable(): boolean {
    return super.trainable;
  }
  override set trainable(t: boolean) {
    super.trainable = t;
    if (this.forwardLayer) this.forwardLayer.trainable = t;
    if (this.backwardLayer) this.backwardLayer.trainable = t;
  }

  protected override trackedLayers(): Layer[] {
    return [this.forwardLayer, this.backwardLayer];
  }

  protected override standardizeCall(
    inputs: tf.Tensor | tf.Tensor[] | SymbolicTensor | SymbolicTensor[],
    kwargs: CallArgs,
  ): [tf.Tensor | tf.Tensor[] | SymbolicTensor | SymbolicTensor[], CallArgs] {
    const { initialState, ...rest } = kwargs;
    const list = Array.isArray(inputs) ? inputs : [inputs];
    const states = initialState && initialState.length > 0 ? initialState : list.slice(1);
    if (states.length === 0) return [list[0] as tf.Tensor | SymbolicTensor, rest];
    if (states.length % 2 !== 0)
      throw new Error(`${this.name}: initial states come in pairs: the forward layer's, then the backward layer's`);
    if (isSymbolic(states)) return [[list[0], ...states] as SymbolicTensor[], rest];
    return [list[0] as tf.Tensor, { ...rest, initialState: states as tf.Tensor[] }];
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = isShapeList(inputShape) ? inputShape[0] : (inputShape as Shape);
    withNameScope(this.forwardLayer.name, () => this.forwardLayer.build(shape));
    withNameScope(this.backwardLayer.name, () => this.backwardLayer.build(shape));
    this.forwardLayer.built = true;
    this.backwardLayer.built = true;
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    const shape = isShapeList(inputShape) ? inputShape[0] : (inputShape as Shape);
    const shapes = this.forwardLayer.computeOutputShape(shape);
    const [out, ...stateShapes] = (isShapeList(shapes) ? shapes : [shapes]) as Shape[];
    const outputs: Shape[] =
      this.mergeMode === "concat"
        ? [[...out.slice(0, -1), out[out.length - 1] === null ? null : (out[out.length - 1] as number) * 2]]
        : this.mergeMode === null
          ? [out, out.slice()]
          : [out];
    if (this.returnState) return [...outputs, ...stateShapes, ...stateShapes.map((s) => s.slice())];
    return outputs.length === 1 ? outputs[0] : outputs;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: CallArgs = {}): tf.Tensor | tf.Tensor[] {
    const list = Array.isArray(inputs) ? inputs : [inputs];
    const x = list[0];
    const given = list.length > 1 ? list.slice(1) : (kwargs.initialState as tf.Tensor[] | undefined);
    const { initialState: _, ...rest } = kwargs;
    return tf.tidy(() => {
      const half = given ? given.length / 2 : 0;
      const forward = this.forwardLayer.call(x, given ? { ...rest, initialState: given.slice(0, half) } : rest);
      const backward = this.backwardLayer.call(x, given ? { ...rest, initialState: given.slice(half) } : rest);
      let y = Array.isArray(forward) ? forward[0] : forward;
      let yRev = Array.isArray(backward) ? backward[0] : backward;
      const states = this.returnState
        ? [...(forward as tf.Tensor[]).slice(1), ...(backward as tf.Tensor[]).slice(1)]
        : [];
      if (this.returnSequences) yRev = tf.reverse(yRev, 1);
      let merged: tf.Tensor[];
      switch (this.mergeMode) {
        case "concat":
          merged = [tf.concat([y, yRev], -1)];
          break;
        case "sum":
          merged = [tf.add(y, yRev)];
          break;
        case "ave":
          merged = [tf.mul(tf.add(y, yRev), 0.5)];
          break;
        case "mul":
          merged = [tf.mul(y, yRev)];
          break;
        default:
          merged = [y, yRev];
      }
      y = merged[0];
      if (this.returnState) return [...merged, ...states];
      return merged.length === 1 ? y : merged;
    });
  }

  override computeMask(
    _inputs: tf.Tensor | tf.Tensor[],
    mask?: tf.Tensor | (tf.Tensor | null)[] | null,
  ): tf.Tensor | (tf.Tensor | null)[] | null {
    const m = (Array.isArray(mask) ? mask[0] : mask) ?? null;
    const outMask = this.returnSequences ? m : null;
    const outputs = this.mergeMode === null ? [outMask, outMask] : [outMask];
    if (this.returnState) {
      const none = stateSizes(this.forwardLayer.cell).map(() => null);
      return [...outputs, ...none, ...none];
    }
    return outputs.length === 1 ? outputs[0] : outputs;
  }

  override resetStates(): void {
    this.forwardLayer.resetStates();
    this.backwardLayer.resetStates();
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), mergeMode: this.mergeMode };
  }
}
registerClass(Bidirectional);
