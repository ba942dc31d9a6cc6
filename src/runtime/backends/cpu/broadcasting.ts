import type { DataArray, TensorInfo } from "../../backend.js";
import { broadcastIndexMap } from "../broadcast.js";
import type { CpuStore } from "./storage.js";

/** Equal up to leading 1s: `[1, 3]` and `[3]` have the same row-major layout. */
function sameLayout(a: readonly number[], b: readonly number[]): boolean {
  let i = 0;
  let j = 0;
  while (i < a.length && a.length - i > b.length - j && a[i] === 1) i++;
  while (j < b.length && b.length - j > a.length - i && b[j] === 1) j++;
  if (a.length - i !== b.length - j) return false;
  for (; i < a.length; i++, j++) if (a[i] !== b[j]) return false;
  return true;
}

/**
 * The values of `info` laid out at `outShape` (NumPy broadcasting). Returns the stored array
 * itself when no broadcasting is needed; otherwise one expanded copy, so the elementwise loops
 * that follow can index every operand with the same `i`.
 */
export function readBroadcast(store: CpuStore, info: TensorInfo, outShape: readonly number[], outSize: number): DataArray {
  const values = store.read(info);
  if (values.length === outSize && sameLayout(info.shape, outShape)) return values;
  const expanded = new (values.constructor as new (n: number) => DataArray)(outSize);
  if (values.length === 1) {
    expanded.fill(values[0]!);
    return expanded;
  }
  const map = broadcastIndexMap(info.shape, outShape);
  for (let i = 0; i < outSize; i++) expanded[i] = values[map[i]!]!;
  return expanded;
}
