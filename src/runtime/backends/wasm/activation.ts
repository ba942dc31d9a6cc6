/**
 * BiasActivation (linear and relu) and relu's ActivationGrad on the WebAssembly SIMD loops of
 * code/activation.ts, on the calling thread (they are memory-bound: a thread more would not pay for
 * waking it). Other activations decline, and the table runs the cpu loop for them.
 */
import type { DecliningKernel } from "../cpu-loops.js";
import { allFloat32 } from "../cpu-loops.js";
import type { WasmContext } from "./context.js";

export const biasActivation: DecliningKernel<"BiasActivation", WasmContext> =
  ({ store, wasm }) =>
  (args) => {
    const {
      inputs: [x, bias],
      attrs: { activation },
      out,
    } = args;
    if (!allFloat32(args) || (activation !== "relu" && activation !== "linear")) return undefined;
    const c = bias.shape.length === 1 ? bias.shape[0]! : -1;
    if (x.shape.length === 0 || c !== x.shape[x.shape.length - 1]) return undefined; // the cpu loop says what is wrong
    const y = store.allocRaw(out);
    const rows = c === 0 ? 0 : y.length / c;
    wasm.bias_act(
      store.read(x).byteOffset,
      store.read(bias).byteOffset,
      y.byteOffset,
      rows,
      c,
      +(activation === "relu"),
    );
    return store.write(y, out.shape, out.dtype);
  };

export const activationGrad: DecliningKernel<"ActivationGrad", WasmContext> =
  ({ store, wasm }) =>
  (args) => {
    const {
      inputs: [y, dy],
      attrs: { activation },
      out,
    } = args;
    if (!allFloat32(args) || activation !== "relu") return undefined;
    const yv = store.read(y);
    if (yv.length !== store.read(dy).length) return undefined;
    const dx = store.allocRaw(out);
    wasm.relu_grad(yv.byteOffset, store.read(dy).byteOffset, dx.byteOffset, dx.length);
    return store.write(dx, out.shape, out.dtype);
  };
