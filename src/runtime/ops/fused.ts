/**
 * `tf.fused`: matMul / conv2d / depthwiseConv2d followed by a bias and an activation in one call
 * (TF.js's names and option bags; computed as the separate ops, so every gradient is available).
 */
import type { Tensor, TensorLike } from "../tensor.js";
import { add } from "./arithmetic.js";
import { conv2d as plainConv2d, depthwiseConv2d as plainDepthwise } from "./conv.js";
import { matMul as plainMatMul } from "./linalg.js";
import type { PaddingArg } from "./padding.js";
import { elu, leakyRelu, prelu, relu, relu6, sigmoid } from "./unary.js";

/** The activations a fused op can apply. */
export type FusedActivation = "linear" | "relu" | "prelu" | "elu" | "relu6" | "leakyrelu" | "sigmoid";

interface FusedEpilogue {
  bias?: TensorLike;
  activation?: FusedActivation;
  preluActivationWeights?: TensorLike;
  leakyreluAlpha?: number;
}

/** The arguments of the fused 2-D convolutions (TF.js's `fused.conv2d` and `fused.depthwiseConv2d`). */
type FusedConvArgs = {
  x: TensorLike;
  filter: TensorLike;
  strides: number | [number, number];
  pad: PaddingArg;
  dataFormat?: "NHWC";
  dilations?: number | [number, number];
  dimRoundingMode?: "floor" | "round" | "ceil";
} & FusedEpilogue;

function epilogue(op: string, y: Tensor, args: FusedEpilogue): Tensor {
  const withBias = args.bias === undefined || args.bias === null ? y : add(y, args.bias);
  switch (args.activation ?? "linear") {
    case "linear":
      return withBias;
    case "relu":
      return relu(withBias);
    case "elu":
      return elu(withBias);
    case "relu6":
      return relu6(withBias);
    case "sigmoid":
      return sigmoid(withBias);
    case "leakyrelu":
      return leakyRelu(withBias, args.leakyreluAlpha ?? 0.2);
    case "prelu":
      if (args.preluActivationWeights === undefined) throw new Error(`${op}: 'prelu' needs preluActivationWeights`);
      return prelu(withBias, args.preluActivationWeights);
    default:
      throw new Error(`${op}: unknown activation '${String(args.activation)}'`);
  }
}

/**
 * `activation(matMul(a, b) + bias)`. Example:
 * `tf.fused.matMul({ a: x, b: w, bias: b, activation: "relu" })`.
 */
function matMul(
  args: { a: TensorLike; b: TensorLike; transposeA?: boolean; transposeB?: boolean } & FusedEpilogue,
): Tensor {
  return epilogue("fused.matMul", plainMatMul(args.a, args.b, args.transposeA, args.transposeB), args);
}

/**
 * `activation(conv2d(x, filter) + bias)`. Example:
 * `tf.fused.conv2d({ x, filter, strides: 1, pad: "same", bias, activation: "relu" })`.
 */
function conv2d(args: FusedConvArgs): Tensor {
  const y = plainConv2d(args.x, args.filter, args.strides, args.pad, args.dataFormat, args.dilations);
  return epilogue("fused.conv2d", y, args);
}

/** `activation(depthwiseConv2d(x, filter) + bias)` (same options as fused.conv2d). */
function depthwiseConv2d(args: FusedConvArgs): Tensor {
  const y = plainDepthwise(args.x, args.filter, args.strides, args.pad, args.dataFormat, args.dilations);
  return epilogue("fused.depthwiseConv2d", y, args);
}

/** `tf.fused`: `matMul`, `conv2d`, `depthwiseConv2d` with bias and activation. Example: `tf.fused.matMul({ a, b, bias, activation: "relu" })`. */
export const fused = { matMul, conv2d, depthwiseConv2d };
