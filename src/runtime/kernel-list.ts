/** Every kernel name of `kernels.ts` as a runtime list (the compiler checks that none is missing). */
import { BINARY_KERNELS, REDUCE_KERNELS, UNARY_KERNELS, type KernelName } from "./kernels.js";

type Others = Exclude<
  KernelName,
  (typeof UNARY_KERNELS)[number] | (typeof BINARY_KERNELS)[number] | (typeof REDUCE_KERNELS)[number]
>;

const OTHERS: Record<Others, true> = {
  Cast: true,
  Select: true,
  Transpose: true,
  Slice: true,
  Concat: true,
  Pad: true,
  Reverse: true,
  Tile: true,
  Gather: true,
  UnsortedSegmentSum: true,
  BatchMatMul: true,
  Conv2D: true,
  Conv2DBackpropInput: true,
  Conv2DBackpropFilter: true,
  DepthwiseConv2D: true,
  DepthwiseConv2DBackpropInput: true,
  DepthwiseConv2DBackpropFilter: true,
  MaxPool: true,
  MaxPoolGrad: true,
  AvgPool: true,
  AvgPoolGrad: true,
  BiasActivation: true,
  ActivationGrad: true,
  RnnForward: true,
  RnnBackward: true,
  Softmax: true,
  SoftmaxGrad: true,
  CrossEntropy: true,
  CrossEntropyGrad: true,
  SparseCrossEntropy: true,
  SparseCrossEntropyGrad: true,
  AdamMoments: true,
  AdamStep: true,
};

export const ALL_KERNELS: readonly KernelName[] = [
  ...UNARY_KERNELS,
  ...BINARY_KERNELS,
  ...REDUCE_KERNELS,
  ...(Object.keys(OTHERS) as Others[]),
];
