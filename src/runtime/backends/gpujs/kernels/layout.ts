/**
 * Kernels that move values around: Transpose, Slice, Concat, Pad, Reverse, Tile, Gather and
 * UnsortedSegmentSum. Each output cell computes the input cell it comes from.
 */
import type { DataId, DType, KernelFunc, TensorInfo } from "../../../backend.js";
import { sizeOf } from "../../../backend.js";
import { stridesOf } from "../../broadcast.js";
import { coords, divmod, dot, int, kernelSource, lit } from "../codegen.js";
import { type GpuKernel, type KernelContext, launch } from "../context.js";

const names = (n: number, p = "c") => Array.from({ length: n }, (_, k) => `${p}${k}`);

/**
 * A kernel whose output cell, with coordinates `c` over `out`, is what `read(c, strides of x)`
 * returns (statements ending in `return x[…]`).
 */
function launchCells(
  ctx: KernelContext,
  key: string,
  x: TensorInfo,
  out: { shape: number[]; dtype: DType },
  read: (c: string[], st: number[]) => string,
): DataId {
  return launch(ctx, {
    key,
    inputs: [x],
    out,
    source: () => {
      const c = names(out.shape.length);
      return kernelSource(["x"], `${coords("i", out.shape, c)}${read(c, stridesOf(x.shape))}`);
    },
  });
}

export const transpose: GpuKernel<"Transpose"> =
  (ctx) =>
  ({ inputs: [x], attrs: { perm }, out }) =>
    launchCells(
      ctx,
      `Transpose:${perm}`,
      x,
      out,
      (c, st) => `return x[${dot(c.map((n, k) => [n, st[perm[k]!]!] as const))}];\n`,
    );

export const slice: GpuKernel<"Slice"> =
  (ctx) =>
  ({ inputs: [x], attrs: { begin }, out }) =>
    launchCells(ctx, `Slice:${begin}`, x, out, (c, st) => {
      const offset = begin.reduce((acc, b, k) => acc + b * st[k]!, 0);
      return `return x[${dot(
        c.map((n, k) => [n, st[k]!] as const),
        offset,
      )}];\n`;
    });

export const reverse: GpuKernel<"Reverse"> =
  (ctx) =>
  ({ inputs: [x], attrs: { axes }, out }) =>
    launchCells(ctx, `Reverse:${axes}`, x, out, (c, st) => {
      const flipped = x.shape.map((d, k) => (axes.includes(k) ? `(${d - 1} - ${c[k]})` : c[k]!));
      return `return x[${dot(flipped.map((n, k) => [n, st[k]!] as const))}];\n`;
    });

export const pad: GpuKernel<"Pad"> =
  (ctx) =>
  ({ inputs: [x], attrs: { paddings, constantValue }, out }) =>
    launchCells(ctx, `Pad:${paddings}:${constantValue}`, x, out, (c, st) => {
      let body = "";
      const outside: string[] = [];
      x.shape.forEach((d, k) => {
        body += int(`s${k}`, `${c[k]} - ${paddings[k]![0]}`);
        if (paddings[k]![0] > 0) outside.push(`s${k} < 0`);
        if (paddings[k]![1] > 0) outside.push(`s${k} >= ${d}`);
      });
      if (outside.length > 0) body += `if (${outside.join(" || ")}) { return ${lit(constantValue)}; }\n`;
      return `${body}return x[${dot(x.shape.map((_, k) => [`s${k}`, st[k]!] as const))}];\n`;
    });

export const tile: GpuKernel<"Tile"> =
  (ctx) =>
  ({ inputs: [x], attrs: { reps }, out }) =>
    launchCells(ctx, `Tile:${reps}`, x, out, (c, st) => {
      let body = "";
      x.shape.forEach((d, k) => {
        body += reps[k] === 1 ? int(`s${k}`, c[k]!) : divmod(c[k]!, d, `t${k}`, `s${k}`, out.shape[k]!);
      });
      return `${body}return x[${dot(x.shape.map((_, k) => [`s${k}`, st[k]!] as const))}];\n`;
    });

/** One kernel joining `parts` along `axis`. */
function concatOnce(
  ctx: KernelContext,
  parts: readonly TensorInfo[],
  axis: number,
  out: { shape: number[]; dtype: DType },
): DataId {
  const outer = sizeOf(out.shape.slice(0, axis));
  const width = sizeOf(out.shape.slice(axis));
  return launch(ctx, {
    key: `Concat:${axis}`,
    inputs: parts,
    out,
    source: () => {
      const args = parts.map((_, k) => `x${k}`);
      let body = coords("i", [outer, width], ["o", "w"]);
      let start = 0;
      parts.forEach((t, k) => {
        const w = sizeOf(t.shape.slice(axis));
        const read = `return x${k}[${dot([["o", w]], 0)} + w - ${start}];\n`;
        body += k === parts.length - 1 ? read : `if (w < ${start + w}) { ${read}}\n`;
        start += w;
      });
      return kernelSource(args, body);
    },
  });
}

export const concat: GpuKernel<"Concat"> = (ctx) => {
  const run: KernelFunc<"Concat"> = ({ inputs, attrs: { axis }, out }) => {
    const parts = inputs.filter((t) => sizeOf(t.shape) > 0);
    const limit = ctx.maxInputs ?? Infinity;
    if (parts.length <= limit) return concatOnce(ctx, parts, axis, out);
    // More inputs than one kernel can read (GL texture units, WebGPU storage buffers): join them in groups first.
    const joined: TensorInfo[] = [];
    const temporary: DataId[] = [];
    for (let k = 0; k < parts.length; k += limit) {
      const group = parts.slice(k, k + limit);
      if (group.length === 1) {
        joined.push(group[0]!);
        continue;
      }
      const shape = [...out.shape];
      shape[axis] = group.reduce((n, t) => n + t.shape[axis]!, 0);
      const dataId = concatOnce(ctx, group, axis, { shape, dtype: out.dtype });
      temporary.push(dataId);
      joined.push({ dataId, shape, dtype: out.dtype });
    }
    const result = run({ inputs: joined, attrs: { axis }, out });
    for (const dataId of temporary) ctx.dispose(dataId);
    return result;
  };
  return run;
};

export const gather: GpuKernel<"Gather"> =
  (ctx) =>
  ({ inputs: [x, indices], attrs: { axis }, out }) => {
    const outer = sizeOf(x.shape.slice(0, axis));
    const inner = sizeOf(x.shape.slice(axis + 1));
    const n = sizeOf(indices.shape);
    const d = x.shape[axis]!;
    const ind = ctx.values(indices);
    for (let k = 0; k < ind.length; k++) {
      if (!(ind[k]! >= 0 && ind[k]! < d)) throw new Error(`Gather: index ${ind[k]} is out of range [0, ${d})`);
    }
    return launch(ctx, {
      key: `Gather:${axis}`,
      inputs: [x, indices],
      out,
      source: () =>
        kernelSource(
          ["x", "ind"],
          `${coords("i", [outer, n, inner], ["o", "j", "r"])}${int("at", "ind[j] | 0")}
if (at < 0 || at >= ${d}) { return 0.0; }
return x[${dot([
            ["o", d * inner],
            ["at", inner],
            ["r", 1],
          ])}];
`,
        ),
    });
  };

export const unsortedSegmentSum: GpuKernel<"UnsortedSegmentSum"> =
  (ctx) =>
  ({ inputs: [x, segmentIds], attrs: { numSegments }, out }) => {
    const n = x.shape[0] ?? 1;
    const inner = sizeOf(x.shape.slice(1));
    const ids = ctx.values(segmentIds);
    if (ids.length !== n) throw new Error(`UnsortedSegmentSum: ${ids.length} segment ids for ${n} rows`);
    for (let k = 0; k < ids.length; k++) {
      // negative ids are dropped (as in TF); the kernel never matches them
      if (ids[k]! >= numSegments) {
        throw new Error(`UnsortedSegmentSum: segment id ${ids[k]} is not below numSegments ${numSegments}`);
      }
    }
    return launch(ctx, {
      key: `UnsortedSegmentSum:${numSegments}`,
      inputs: [x, segmentIds],
      out,
      source: () =>
        kernelSource(
          ["x", "ids"],
          `${coords("i", [numSegments, inner], ["s", "r"])}let acc = 0.0;
for (let k = 0; k < ${n}; k++) {
  if (ids[k] == s) { acc = acc + x[${dot([
    ["k", inner],
    ["r", 1],
  ])}]; }
}
return acc;
`,
        ),
    });
  };
