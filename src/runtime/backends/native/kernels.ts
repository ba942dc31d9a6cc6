/**
 * The native backend's kernel table. Each entry says where the kernel runs:
 * - `addon(name, k)`: in the addon where `k` takes the inputs (float32 data, ranks the walkers
 *   take); otherwise `k` declines and the cpu loop runs on this backend's storage (no copies).
 * - `float32(name, k)`: in the addon when every input and the output are float32, else the cpu loop.
 * - `cpuLoop(name)`: the cpu loop on this backend's storage (the bool-only kernels, which have no
 *   code in op-codes.ts).
 * Kernels not listed (the depthwise convolutions) fall back to the cpu backend through the engine,
 * visibly: `tf.backendSupport()` lists them and `tf.engine().fallbacks` counts each call.
 */
import type { DType, KernelMaker, KernelMakers, TensorInfo } from "../../backend.js";
import { makersFor } from "../../backend.js";
import { BINARY_KERNELS, type KernelName, REDUCE_KERNELS, UNARY_KERNELS } from "../../kernels.js";
import type { DecliningKernel, NativeContext, NativeKernel } from "./context.js";
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
    opCode(UnaryOp, name) !== undefined ? addon(name, unaryKernel(name)) : cpuLoop(name),
  ),
  ...makersFor(BINARY_KERNELS, (name) =>
    opCode(BinaryOp, name) !== undefined ? addon(name, binaryKernel(name)) : cpuLoop(name),
  ),
  ...makersFor(REDUCE_KERNELS, (name) =>
    opCode(ReduceOp, name) !== undefined ? addon(name, reduceKernel(name)) : cpuLoop(name),
  ),
  Cast: addon("Cast", cast),
  Select: addon("Select", select),
  Transpose: addon("Transpose", transpose),
  Slice: addon("Slice", slice),
  Concat: addon("Concat", concat),
  Pad: addon("Pad", pad),
  Reverse: addon("Reverse", reverse),
  Tile: addon("Tile", tile),
  Gather: addon("Gather", gather),
  UnsortedSegmentSum: addon("UnsortedSegmentSum", unsortedSegmentSum),
  BatchMatMul: float32("BatchMatMul", batchMatMul),
  Conv2D: float32("Conv2D", conv2D),
  Conv2DBackpropInput: float32("Conv2DBackpropInput", conv2DBackpropInput),
  Conv2DBackpropFilter: float32("Conv2DBackpropFilter", conv2DBackpropFilter),
  MaxPool: float32("MaxPool", maxPool),
  MaxPoolGrad: float32("MaxPoolGrad", maxPoolGrad),
  AvgPool: float32("AvgPool", avgPool),
  AvgPoolGrad: float32("AvgPoolGrad", avgPoolGrad),
  BiasActivation: float32("BiasActivation", biasActivation),
  ActivationGrad: float32("ActivationGrad", activationGrad),
  RnnForward: float32("RnnForward", rnnForward),
  RnnBackward: float32("RnnBackward", rnnBackward),
  Softmax: float32("Softmax", softmax),
  SoftmaxGrad: float32("SoftmaxGrad", softmaxGrad),
  CrossEntropy: float32("CrossEntropy", crossEntropy),
  CrossEntropyGrad: float32("CrossEntropyGrad", crossEntropyGrad),
  SparseCrossEntropy: float32("SparseCrossEntropy", sparseCrossEntropy),
  SparseCrossEntropyGrad: float32("SparseCrossEntropyGrad", sparseCrossEntropyGrad),
  AdamMoments: float32("AdamMoments", adamMoments),
  AdamStep: float32("AdamStep", adamStep),
};

/** `kernel` where it takes the inputs, else the cpu loop of `name` on the same storage. */
function addon<K extends KernelName>(name: K, kernel: DecliningKernel<K>): KernelMaker<K, NativeContext> {
  return (ctx) => {
    const run = kernel(ctx);
    const loop = ctx.cpu[name];
    return (args) => run(args) ?? loop(args);
  };
}

/** `kernel` when every input and the output are float32, else the cpu loop of `name` on the same storage. */
function float32<K extends KernelName>(name: K, kernel: NativeKernel<K>): KernelMaker<K, NativeContext> {
  return (ctx) => {
    const run = kernel(ctx);
    const loop = ctx.cpu[name];
    return (args) => (allFloat32(args) ? run(args) : loop(args));
  };
}

/** The cpu loop of `name` on this backend's storage. */
function cpuLoop<K extends KernelName>(name: K): KernelMaker<K, NativeContext> {
  return (ctx) => ctx.cpu[name];
}

function allFloat32(args: { inputs: readonly TensorInfo[]; out: { dtype: DType } }): boolean {
  if (args.out.dtype !== "float32") return false;
  for (const t of args.inputs) if (t.dtype !== "float32") return false;
  return true;
}
