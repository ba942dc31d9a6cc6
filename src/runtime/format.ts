/**
 * NumPy-like text for tensors: aligned columns, and long axes elided to their first and last
 * `EDGE_ITEMS` entries with "..." in between.
 */
import type { DType } from "./backend.js";

/** Axes longer than this are elided. */
const MAX_UNELIDED = 20;
const EDGE_ITEMS = 3;

function formatNumber(v: number, dtype: DType): string {
  if (dtype === "bool") return v ? "true" : "false";
  if (dtype === "int32" || Number.isNaN(v) || !Number.isFinite(v)) return String(v);
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-4 || a >= 1e15)) return v.toExponential(4);
  return String(Number(v.toPrecision(7)));
}

/** Indices shown along an axis of length `n` (`-1` marks the elision). */
function shownIndices(n: number): number[] {
  if (n <= MAX_UNELIDED) return Array.from({ length: n }, (_, i) => i);
  const head = Array.from({ length: EDGE_ITEMS }, (_, i) => i);
  const tail = Array.from({ length: EDGE_ITEMS }, (_, i) => n - EDGE_ITEMS + i);
  return [...head, -1, ...tail];
}

export function formatTensor(
  values: ArrayLike<number>,
  shape: readonly number[],
  dtype: DType,
  verbose: boolean,
): string {
  const lines: string[] = ["Tensor"];
  if (verbose) {
    lines.push(`  dtype: ${dtype}`, `  rank: ${shape.length}`, `  shape: [${shape.join(",")}]`, "  values:");
  }
  lines.push(
    formatValues(values, shape, dtype)
      .split("\n")
      .map((l) => (l ? "    " + l : l))
      .join("\n"),
  );
  return lines.join("\n");
}

export function formatValues(values: ArrayLike<number>, shape: readonly number[], dtype: DType): string {
  if (shape.length === 0) return formatNumber(values[0], dtype);
  const strides: number[] = new Array(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  // First pass: the width of the widest shown entry, so columns line up.
  let width = 0;
  const visit = (axis: number, offset: number, fn: (offset: number) => void): void => {
    for (const i of shownIndices(shape[axis])) {
      if (i < 0) continue;
      if (axis === shape.length - 1) fn(offset + i);
      else visit(axis + 1, offset + i * strides[axis], fn);
    }
  };
  visit(0, 0, (o) => {
    width = Math.max(width, formatNumber(values[o], dtype).length);
  });
  const render = (axis: number, offset: number, indent: string): string => {
    const idx = shownIndices(shape[axis]);
    if (axis === shape.length - 1) {
      const cells = idx.map((i) => (i < 0 ? "..." : formatNumber(values[offset + i], dtype).padStart(width)));
      return "[" + cells.join(", ") + "]";
    }
    const blankLines = "\n".repeat(Math.max(0, shape.length - axis - 2));
    const parts = idx.map((i) => (i < 0 ? "..." : render(axis + 1, offset + i * strides[axis], indent + " ")));
    return "[" + parts.join(",\n" + blankLines + indent + " ") + "]";
  };
  return render(0, 0, "");
}
