/**
 * The cpu backend's kernel table: every kernel of `kernels.ts`. The table's type is complete (a
 * `Record` over all kernel names), so a kernel declared without a reference implementation here
 * does not compile. The native backend makes the same kernels on its own storage for the dtypes its
 * addon does not take.
 */
import { type KernelMaker, makersFor } from "../../backend.js";
import { BINARY_KERNELS, type KernelName, REDUCE_KERNELS, UNARY_KERNELS } from "../../kernels.js";
import { binaryKernel } from "./binary.js";
import { cast } from "./cast.js";
import { conv2D, conv2DBackpropFilter, conv2DBackpropInput } from "./conv.js";
import { depthwiseConv2D, depthwiseConv2DBackpropFilter, depthwiseConv2DBackpropInput } from "./depthwise.js";
import { concat, gather, pad, reverse, slice, tile, transpose, unsortedSegmentSum } from "./layout.js";
import { batchMatMul } from "./matmul.js";
import { adamMoments, adamStep } from "./optimizer.js";
import { avgPool, avgPoolGrad, maxPool, maxPoolGrad } from "./pool.js";
import { rnnBackward, rnnForward } from "./recurrent.js";
import { reduceKernel } from "./reduce.js";
import { select } from "./select.js";
import {
  activationGrad,
  biasActivation,
  crossEntropy,
  crossEntropyGrad,
  softmax,
  softmaxGrad,
  sparseCrossEntropy,
  sparseCrossEntropyGrad,
} from "./softmax.js";
import type { CpuStore } from "./storage.js";
import { unaryKernel } from "./unary.js";

export const CPU_KERNELS: { [K in KernelName]: KernelMaker<K, CpuStore> } = {
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
