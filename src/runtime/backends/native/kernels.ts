/**
 * The native backend's kernel table. Each entry says where the kernel runs:
 * - `orCpuLoop(name, k)`: in the addon where `k` takes the inputs (float32 data, ranks the walkers
 *   take); otherwise `k` declines and the cpu loop runs on this backend's storage (no copies).
 * - `float32OrCpuLoop(name, k)`: in the addon when every input and the output are float32, else the cpu loop.
 * - `cpuLoop(name)`: the cpu loop on this backend's storage (the bool-only kernels, which have no
 *   code in op-codes.ts).
 * Kernels not listed (the depthwise convolutions) fall back to the cpu backend through the engine,
 * visibly: `tf.backendSupport()` lists them and `tf.engine().fallbacks` counts each call.
 */
import type { KernelMakers } from "../../backend.js";
import { makersFor } from "../../backend.js";
import { BINARY_KERNELS, REDUCE_KERNELS, UNARY_KERNELS } from "../../kernels.js";
import { cpuLoop, float32OrCpuLoop, orCpuLoop } from "../cpu-loops.js";
import type { NativeContext } from "./context.js";
import { binaryKernel, cast, opCode, reduceKernel, select, unaryKernel } from "./elementwise.js";
import { concat, gather, pad, reverse, slice, tile, transpose, unsortedSegmentSum } from "./layout.js";
import {
  avgPool,
  avgPoolGrad,
  batchMatMul,
  conv2D,
  conv2DBackpropFilter,
  conv2DBackpropInput,
  maxPool,
  maxPoolGrad,
} from "./math.js";
import { BinaryOp, ReduceOp, UnaryOp } from "./op-codes.js";
import { adamMoments, adamStep } from "./optimizer.js";
import { rnnBackward, rnnForward } from "./recurrent.js";
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

export const NATIVE_KERNELS: KernelMakers<NativeContext> = {
  // The elementwise families: in the addon where op-codes.ts gives the kernel a code.
  ...makersFor(UNARY_KERNELS, (name) =>
    opCode(UnaryOp, name) !== undefined ? orCpuLoop(name, unaryKernel(name)) : cpuLoop(name),
  ),
  ...makersFor(BINARY_KERNELS, (name) =>
    opCode(BinaryOp, name) !== undefined ? orCpuLoop(name, binaryKernel(name)) : cpuLoop(name),
  ),
  ...makersFor(REDUCE_KERNELS, (name) =>
    opCode(ReduceOp, name) !== undefined ? orCpuLoop(name, reduceKernel(name)) : cpuLoop(name),
  ),
  Cast: orCpuLoop("Cast", cast),
  Select: orCpuLoop("Select", select),
  Transpose: orCpuLoop("Transpose", transpose),
  Slice: orCpuLoop("Slice", slice),
  Concat: orCpuLoop("Concat", concat),
  Pad: orCpuLoop("Pad", pad),
  Reverse: orCpuLoop("Reverse", reverse),
  Tile: orCpuLoop("Tile", tile),
  Gather: orCpuLoop("Gather", gather),
  UnsortedSegmentSum: orCpuLoop("UnsortedSegmentSum", unsortedSegmentSum),
  BatchMatMul: float32OrCpuLoop("BatchMatMul", batchMatMul),
  Conv2D: float32OrCpuLoop("Conv2D", conv2D),
  Conv2DBackpropInput: float32OrCpuLoop("Conv2DBackpropInput", conv2DBackpropInput),
  Conv2DBackpropFilter: float32OrCpuLoop("Conv2DBackpropFilter", conv2DBackpropFilter),
  MaxPool: float32OrCpuLoop("MaxPool", maxPool),
  MaxPoolGrad: float32OrCpuLoop("MaxPoolGrad", maxPoolGrad),
  AvgPool: float32OrCpuLoop("AvgPool", avgPool),
  AvgPoolGrad: float32OrCpuLoop("AvgPoolGrad", avgPoolGrad),
  BiasActivation: float32OrCpuLoop("BiasActivation", biasActivation),
  ActivationGrad: float32OrCpuLoop("ActivationGrad", activationGrad),
  RnnForward: float32OrCpuLoop("RnnForward", rnnForward),
  RnnBackward: float32OrCpuLoop("RnnBackward", rnnBackward),
  Softmax: float32OrCpuLoop("Softmax", softmax),
  SoftmaxGrad: float32OrCpuLoop("SoftmaxGrad", softmaxGrad),
  CrossEntropy: float32OrCpuLoop("CrossEntropy", crossEntropy),
  CrossEntropyGrad: float32OrCpuLoop("CrossEntropyGrad", crossEntropyGrad),
  SparseCrossEntropy: float32OrCpuLoop("SparseCrossEntropy", sparseCrossEntropy),
  SparseCrossEntropyGrad: float32OrCpuLoop("SparseCrossEntropyGrad", sparseCrossEntropyGrad),
  AdamMoments: float32OrCpuLoop("AdamMoments", adamMoments),
  AdamStep: float32OrCpuLoop("AdamStep", adamStep),
};
