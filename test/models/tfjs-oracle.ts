/**
 * TF.js (tfjs-core + cpu backend + tfjs-layers, CommonJS builds) as the reference implementation.
 * tfjs-core's chained tensor methods are not registered in the CommonJS build; tfjs-layers calls a
 * few of them (e.g. in the Orthogonal initializer), so they are added here from the op functions.
 */
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const tfc: any = require("@tensorflow/tfjs-core");
require("@tensorflow/tfjs-backend-cpu");
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const tfl: any = require("@tensorflow/tfjs-layers");

const proto = tfc.Tensor.prototype;
for (const [name, fn] of Object.entries(tfc)) {
  if (typeof fn === "function" && /^[a-z]/.test(name) && !(name in proto)) {
    proto[name] = function (this: unknown, ...args: unknown[]) {
      return (fn as (...a: unknown[]) => unknown)(this, ...args);
    };
  }
}
proto.flatten = function (this: { size: number }) {
  return tfc.reshape(this, [this.size]);
};

export async function oracleReady(): Promise<void> {
  await tfc.setBackend("cpu");
}

/** Copies deepts weights (as plain arrays) into a TF.js model or layer. */
export function copyWeights(values: { shape: number[]; data: Float32Array }[]): unknown[] {
  return values.map((v) => tfc.tensor(v.data, v.shape));
}
