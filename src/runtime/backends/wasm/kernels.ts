/**
 * The wasm backend's kernel table. Each entry says where the kernel runs:
 * - `float32OrCpuLoop(name, k)`: in WebAssembly when every input and the output are float32, else
 *   the cpu backend's loop on this backend's storage;
 * - `orCpuLoop(name, k)`: in WebAssembly where `k` takes the inputs, else the cpu loop;
 * - `cpuLoop(name)`: the cpu loop on this backend's storage (views into the WebAssembly memory: no
 *   copies, the cpu backend's results).
 * Every kernel is listed, so nothing falls back through the engine; `WASM_KERNELS` names the ones
 * with WebAssembly code (the convolutions and recurrences: their products in WebAssembly, the
 * im2col matrix and the recurrences' activations in JavaScript; bias + relu/linear and relu's
 * gradient; Adam's update; max pooling), and `tf.backendSupport()` lists the rest under `cpuLoop`.
 */
import type { KernelMakers } from "../../backend.js";
import { makersFor } from "../../backend.js";
import { ALL_KERNELS, type KernelName } from "../../kernels.js";
import { cpuLoop, float32OrCpuLoop, orCpuLoop } from "../cpu-loops.js";
import { activationGrad, biasActivation } from "./activation.js";
import type { WasmContext } from "./context.js";
import { conv2D, conv2DBackpropFilter, conv2DBackpropInput } from "./conv.js";
import { batchMatMul } from "./matmul.js";
import { adamMoments, adamStep } from "./optimizer.js";
import { maxPool, maxPoolGrad } from "./pool.js";
import { rnnBackward, rnnForward } from "./recurrent.js";

/** The kernels with WebAssembly code (for float32 data; see each entry for what else it takes). */
const WASM_CODE: KernelMakers<WasmContext> = {
  BatchMatMul: float32OrCpuLoop("BatchMatMul", batchMatMul),
  Conv2D: float32OrCpuLoop("Conv2D", conv2D),
  Conv2DBackpropInput: float32OrCpuLoop("Conv2DBackpropInput", conv2DBackpropInput),
  Conv2DBackpropFilter: float32OrCpuLoop("Conv2DBackpropFilter", conv2DBackpropFilter),
  RnnForward: float32OrCpuLoop("RnnForward", rnnForward),
  RnnBackward: float32OrCpuLoop("RnnBackward", rnnBackward),
  BiasActivation: orCpuLoop("BiasActivation", biasActivation),
  ActivationGrad: orCpuLoop("ActivationGrad", activationGrad),
  AdamMoments: float32OrCpuLoop("AdamMoments", adamMoments),
  AdamStep: float32OrCpuLoop("AdamStep", adamStep),
  MaxPool: float32OrCpuLoop("MaxPool", maxPool),
  MaxPoolGrad: float32OrCpuLoop("MaxPoolGrad", maxPoolGrad),
};

export const WASM_KERNELS: readonly KernelName[] = Object.keys(WASM_CODE) as KernelName[];

export const WASM_BACKEND_KERNELS: KernelMakers<WasmContext> = {
  ...makersFor(ALL_KERNELS, cpuLoop),
  ...WASM_CODE,
};
