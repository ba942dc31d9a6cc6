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

/** True when `inShape` (less leading 1s) equals the last axes of `outShape`. */
function isTrailingBlock(inShape: readonly number[], outShape: readonly number[]): boolean {
  let first = 0;
  while (first < inShape.length && inShape[first] === 1) first++;
  const rest = inShape.length - first;
  if (rest === 0 || rest > outShape.length) return false;
  for (let i = 0; i < rest; i++) if (inShape[first + i] !== outShape[outShape.length - rest + i]) return false;
  return true;
}

/**
 * The values of `info` laid out at `outShape` (NumPy broadcasting). Returns the stored array
 * itself when no broadcasting is needed; otherwise one expanded copy, so the elementwise loops
 * that follow can index every operand with the same `i`.
 */
export function readBroadcast(
  store: CpuStore,
  info: TensorInfo,
  outShape: readonly number[],
  outSize: number,
): DataArray {
  const values = store.read(info);
  if (values.length === outSize && sameLayout(info.shape, outShape)) return values;
  const expanded = new (values.constructor as new (n: number) => DataArray)(outSize);
  if (values.length === 1) {
    expanded.fill(values[0]!);
    return expanded;
  }
  if (isTrailingBlock(info.shape, outShape)) {
    // e.g. a bias [units] added to [batch, units]: the output is the input repeated end to end.
    for (let start = 0; start < outSize; start += values.length) expanded.set(values, start);
    return expanded;
  }
  const map = broadcastIndexMap(info.shape, outShape);
  for (let i = 0; i < outSize; i++) expanded[i] = values[map[i]!]!;
  return expanded;
}
