/**
 * The gpu.js kernel table: every kernel as generated gpu.js source. One table for every backend that
 * runs gpu.js kernels (`webasm`, `headlessgl`, and `webgpu` through its device thread), each binding
 * it to its own `KernelContext`. A kernel not listed falls back to the cpu backend through the engine.
 */
import { type KernelMakers, makersFor } from "../../../backend.js";
import { BINARY_KERNELS, REDUCE_KERNELS, UNARY_KERNELS } from "../../../kernels.js";
import type { KernelContext } from "../context.js";
import {
  conv2D,
  conv2DBackpropFilter,
  conv2DBackpropInput,
  depthwiseConv2D,
  depthwiseConv2DBackpropFilter,
  depthwiseConv2DBackpropInput,
} from "./conv.js";
import { binaryKernel, cast, select, unaryKernel } from "./elementwise.js";
import {
  activationGrad,
  adamMoments,
  adamStep,
  biasActivation,
  crossEntropy,
  crossEntropyGrad,
  rnnBackward,
  rnnForward,
  softmax,
  softmaxGrad,
  sparseCrossEntropy,
  sparseCrossEntropyGrad,
} from "./fused.js";
import { concat, gather, pad, reverse, slice, tile, transpose, unsortedSegmentSum } from "./layout.js";
import { batchMatMul } from "./matmul.js";
import { avgPool, avgPoolGrad, maxPool, maxPoolGrad } from "./pool.js";
import { reduceKernel } from "./reduce.js";

export const GPUJS_KERNELS: KernelMakers<KernelContext> = {
  ...makersFor(UNARY_KERNELS, unaryKernel),
  ...makersFor(BINARY_KERNELS, binaryKernel),
  ...makersFor(REDUCE_KERNELS, reduceKernel),
  Cast: cast,
  Select: select,
  Transpose: transpose,
  Slice: slice,
  Concat: concat,
  Pad: pad,
  Reverse: reverse,
  Tile: tile,
  Gather: gather,
  UnsortedSegmentSum: unsortedSegmentSum,
  BatchMatMul: batchMatMul,
  Conv2D: conv2D,
  Conv2DBackpropInput: conv2DBackpropInput,
  Conv2DBackpropFilter: conv2DBackpropFilter,
  DepthwiseConv2D: depthwiseConv2D,
  DepthwiseConv2DBackpropInput: depthwiseConv2DBackpropInput,
  DepthwiseConv2DBackpropFilter: depthwiseConv2DBackpropFilter,
  MaxPool: maxPool,
  MaxPoolGrad: maxPoolGrad,
  AvgPool: avgPool,
  AvgPoolGrad: avgPoolGrad,
  BiasActivation: biasActivation,
  ActivationGrad: activationGrad,
  RnnForward: rnnForward,
  RnnBackward: rnnBackward,
  Softmax: softmax,
  SoftmaxGrad: softmaxGrad,
  CrossEntropy: crossEntropy,
  CrossEntropyGrad: crossEntropyGrad,
  SparseCrossEntropy: sparseCrossEntropy,
  SparseCrossEntropyGrad: sparseCrossEntropyGrad,
  AdamMoments: adamMoments,
  AdamStep: adamStep,
};
