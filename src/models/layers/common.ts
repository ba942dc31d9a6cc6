/** Option parsing, shape arithmetic and serialization helpers shared by layers. */
import type * as tf from "../core.js";
import type { Shape } from "../topology.js";
import type { Initializer } from "../initializers.js";
import type { Regularizer } from "../regularizers.js";
import type { Constraint } from "../constraints.js";
import type { ConfigDict } from "../registry.js";

export type PaddingMode = "valid" | "same" | "causal";
export type DataFormat = "channelsFirst" | "channelsLast";

/** A number or a tuple of `n` numbers, as a tuple. */
export function tuple(name: string, value: number | number[] | undefined, n: number, fallback: number[]): number[] {
  if (value === undefined || value === null) return fallback.slice();
  const t = typeof value === "number" ? new Array<number>(n).fill(value) : value.slice();
  if (t.length !== n || t.some((v) => !Number.isInteger(v) || v <= 0)) {
    throw new Error(`${name} must be a positive integer or ${n} of them, got ${JSON.stringify(value)}`);
  }
  return t;
}

export function padding(name: string, value: string | undefined, allowCausal = false): PaddingMode {
  const p = value ?? "valid";
  if (p !== "valid" && p !== "same" && !(allowCausal && p === "causal"))
    throw new Error(
      `${name}: padding must be 'valid'${allowCausal ? ", 'same' or 'causal'" : " or 'same'"}, got '${p}'`,
    );
  return p;
}

/** 'channelsLast' (default) or 'channelsFirst'; Keras's snake_case spellings are accepted. */
export function dataFormat(name: string, value: string | undefined | null): DataFormat {
  if (value == null || value === "channelsLast" || value === "channels_last") return "channelsLast";
  if (value === "channelsFirst" || value === "channels_first") return "channelsFirst";
  throw new Error(`${name}: dataFormat must be 'channelsLast' or 'channelsFirst', got '${value}'`);
}

/** The axis permutation that moves the channels from axis 1 to the end (`toLast`) or back. */
export function channelsPerm(rank: number, toLast: boolean): number[] {
  const spatial = Array.from({ length: rank - 2 }, (_, i) => i + 2);
  return toLast ? [0, ...spatial, 1] : [0, rank - 1, ...spatial.map((a) => a - 1)];
}

/** A channels-first shape as channels-last (or back). */
export function permuteShape(shape: Shape, toLast: boolean): Shape {
  return channelsPerm(shape.length, toLast).map((a) => shape[a]);
}

/** Output length of a window sweep along one axis. */
export function convLength(
  length: number | null,
  window: number,
  pad: PaddingMode,
  stride: number,
  dilation = 1,
): number | null {
  if (length === null) return null;
  const effective = (window - 1) * dilation + 1;
  if (pad === "same") return Math.ceil(length / stride);
  if (pad === "causal") return Math.ceil(length / stride);
  return Math.ceil((length - effective + 1) / stride);
}

/** Output length of a transposed convolution along one axis (Keras's `deconv_length`). */
export function deconvLength(length: number | null, stride: number, kernel: number, pad: PaddingMode): number | null {
  if (length === null) return null;
  return pad === "valid" ? length * stride + Math.max(kernel - stride, 0) : length * stride;
}

export function positiveInt(name: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value <= 0) {
    throw new Error(`${name} must be a positive integer, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** A rate in [0, 1). */
export function rate(name: string, value: unknown): number {
  if (!(typeof value === "number" && value >= 0 && value < 1))
    throw new Error(`${name} must be a number in [0, 1), got ${JSON.stringify(value)}`);
  return value;
}

export function lastDim(layer: string, shape: Shape): number {
  const d = shape[shape.length - 1];
  if (d === null || d === undefined)
    throw new Error(`${layer}: the last dimension of the input must be known, got shape [${shape}]`);
  return d;
}

export function expectRank(layer: string, shape: Shape, rank: number, what: string): void {
  if (shape.length !== rank)
    throw new Error(`${layer} expects ${what} (rank ${rank}), got shape [${shape.map((d) => d ?? "null")}]`);
}

/** The single input of a one-input layer (TF.js accepts a one-element list too). */
export function oneTensor(layer: string, inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
  if (!Array.isArray(inputs)) return inputs;
  if (inputs.length !== 1) throw new Error(`${layer} expects one input, got ${inputs.length}`);
  return inputs[0];
}

/** The single input shape of a one-input layer. */
export function oneShape(inputShape: Shape | Shape[]): Shape {
  if (inputShape.length > 0 && Array.isArray(inputShape[0])) {
    const shapes = inputShape as Shape[];
    if (shapes.length !== 1) throw new Error(`expected one input shape, got ${shapes.length}`);
    return shapes[0];
  }
  return inputShape as Shape;
}

/** Serialises an initializer/regularizer/constraint as `{className, config}` (null stays null). */
export function serialize(x: Initializer | Regularizer | Constraint | null | undefined): ConfigDict | null {
  return x ? { className: x.getClassName(), config: x.getConfig() as ConfigDict } : null;
}
