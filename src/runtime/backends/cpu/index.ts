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
import { type Backend, type KernelTable, makeKernels } from "../../backend.js";
import { CPU_KERNELS } from "./kernels.js";
import { CpuStore } from "./storage.js";

export interface CpuBackend extends Backend {
  readonly name: "cpu";
  readonly kernels: KernelTable;
}

/** Creates an independent cpu backend (its own storage and memory accounting). */
export function createCpuBackend(): CpuBackend {
  const store = new CpuStore();
  const kernels: KernelTable = makeKernels(CPU_KERNELS, store);

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
