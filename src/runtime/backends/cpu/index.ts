/**
 * The `cpu` backend: plain TypeScript loops over JS typed arrays. It implements every kernel of
 * `kernels.ts` and is the reference the accelerated backends are tested against.
 *
 * Storage keeps the array handed to `write` and `readSync` returns that same array (no copy):
 * treat read arrays as read-only.
 *
 * @example
 * const cpu = createCpuBackend();
 * const a = { dataId: cpu.write(new Float32Array([1, 2]), [2], "float32"), shape: [2], dtype: "float32" as const };
 * const id = cpu.kernels.Add({ inputs: [a, a], attrs: {}, out: { shape: [2], dtype: "float32" } });
 * cpu.readSync(id); // Float32Array [2, 4]
 */
import type { Backend, KernelTable } from "../../backend.js";
import { binaryKernels } from "./binary.js";
import { castKernels } from "./cast.js";
import { convKernels } from "./conv.js";
import { depthwiseKernels } from "./depthwise.js";
import { layoutKernels } from "./layout.js";
import { matMulKernels } from "./matmul.js";
import { optimizerKernels } from "./optimizer.js";
import { poolKernels } from "./pool.js";
import { recurrentKernels } from "./recurrent.js";
import { reduceKernels } from "./reduce.js";
import { selectKernels } from "./select.js";
import { softmaxKernels } from "./softmax.js";
import { CpuStore } from "./storage.js";
import { unaryKernels } from "./unary.js";

export interface CpuBackend extends Backend {
  readonly name: "cpu";
  readonly kernels: KernelTable;
}

/** Creates an independent cpu backend (its own storage and memory accounting). */
export function createCpuBackend(): CpuBackend {
  const store = new CpuStore();
  const kernels: KernelTable = {
    ...unaryKernels(store),
    ...binaryKernels(store),
    ...reduceKernels(store),
    ...castKernels(store),
    ...selectKernels(store),
    ...layoutKernels(store),
    ...matMulKernels(store),
    ...convKernels(store),
    ...depthwiseKernels(store),
    ...poolKernels(store),
    ...softmaxKernels(store),
    ...recurrentKernels(store),
    ...optimizerKernels(store),
  };
  return {
    name: "cpu",
    // Kernels compute in float64 and round once into float32 (sums accumulate in float64 too).
    epsilon: 1e-6,
    kernels,
    write: (values, shape, dtype) => store.write(values, shape, dtype),
    readSync: (dataId) => store.readDataId(dataId),
    read: (dataId) => Promise.resolve().then(() => store.readDataId(dataId)),
    disposeData: (dataId) => store.dispose(dataId),
    memory: () => store.memory(),
    dispose: () => store.clear(),
  };
}
