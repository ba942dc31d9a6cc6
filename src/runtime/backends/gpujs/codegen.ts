/**
 * Pieces of generated gpu.js kernel source: literals, exact integer division, index decomposition
 * and broadcast index expressions.
 *
 * gpu.js computes `/` in float32 even between integers, so splitting a flat index into coordinates
 * with `Math.floor(i / d)` can be off by one once quotients get large. `divmod` estimates the
 * quotient in float32 and corrects it with exact int32 arithmetic, so index math stays exact for
 * any output up to 2^31 cells.
 */
import { stridesOf } from "../broadcast.js";

const F32_EXACT_INT = 1 << 24;

/** A float literal gpu.js parses to the same float32 value (NaN and ±Infinity included). */
export function lit(v: number): string {
  if (Number.isNaN(v)) return "(0 / 0)";
  if (v === Infinity) return "(1 / 0)";
  if (v === -Infinity) return "(-1 / 0)";
  const f = Math.fround(v);
  if (Object.is(f, -0)) return "(-0.0)";
  const text = String(f);
  return f < 0 ? `(${text})` : text;
}

/**
 * Declares an int32 local `name` = `expr`. gpu.js stores a local initialised from an integer
 * expression as float32 (exact only below 2^24); a local it sees incremented with `++` is an int32.
 */
export function int(name: string, expr: string): string {
  return `let ${name} = 0;\n${name}++;\n${name} = ${expr};\n`;
}

/**
 * Statements that set Integer variables `quot` and `rem` to `num / d` and `num % d` exactly, for
 * an Integer expression `num >= 0` below `limit` and a literal divisor `d > 0`.
 */
export function divmod(num: string, d: number, quot: string, rem: string, limit: number): string {
  if (d === 1) return int(quot, num) + int(rem, "0");
  let s = int(quot, `(${num} / ${d}) | 0`) + int(rem, `${num} - ${quot} * ${d}`);
  if (limit > F32_EXACT_INT) {
    // far from the truth only when num itself is not exact in float32: one more estimate first
    s += `${quot} = ${quot} + ((${rem} / ${d}) | 0);\n${rem} = ${num} - ${quot} * ${d};\n`;
  }
  s += `if (${rem} < 0) { ${quot} = ${quot} - 1; ${rem} = ${rem} + ${d}; }\n`;
  s += `if (${rem} >= ${d}) { ${quot} = ${quot} + 1; ${rem} = ${rem} - ${d}; }\n`;
  return s;
}

let uniqueCounter = 0;
function fresh(prefix: string): string {
  return `${prefix}${uniqueCounter++}`;
}

/**
 * Statements declaring Integer coordinates `names[k]` of the flat index `flat` in a row-major
 * array of `dims` (a dimension of 1 gives a constant 0).
 */
export function coords(flat: string, dims: readonly number[], names: readonly string[]): string {
  if (dims.length !== names.length) throw new Error("coords: one name per dimension");
  if (dims.length === 0) return "";
  const total = dims.reduce((a, b) => a * b, 1);
  let s = "";
  let rest = flat;
  for (let k = dims.length - 1; k >= 1; k--) {
    if (dims[k] === 1) {
      s += int(names[k]!, "0");
      continue;
    }
    const q = fresh("q_");
    s += divmod(rest, dims[k]!, q, names[k]!, total);
    rest = q;
  }
  s += int(names[0]!, rest);
  return s;
}

/** `a * s + b * t + …` over (name, literal stride) pairs, skipping zero strides; "0" if empty. */
export function dot(terms: readonly (readonly [string, number])[], offset = 0): string {
  let s = "";
  const add = (term: string, negative: boolean) => {
    s += s === "" ? (negative ? `-${term}` : term) : negative ? ` - ${term}` : ` + ${term}`;
  };
  for (const [name, stride] of terms) {
    if (stride === 0) continue;
    const m = Math.abs(stride);
    add(m === 1 ? name : `${name} * ${m}`, stride < 0);
  }
  if (offset !== 0) add(String(Math.abs(offset)), offset < 0);
  return s === "" ? "0" : s;
}

/**
 * Merges output axes that every input treats alike (all present or all broadcast), and drops
 * axes of size 1. Returns the merged output dims and, per input, its strides over them (0 on
 * broadcast axes). Inputs are right-aligned against the output shape, NumPy-style.
 */
export function collapseBroadcast(
  outShape: readonly number[],
  inShapes: readonly (readonly number[])[],
): { dims: number[]; strides: number[][] } {
  const rank = outShape.length;
  const padded = inShapes.map((s) => {
    if (s.length > rank) throw new Error(`cannot broadcast [${s}] to [${outShape}]`);
    return [...new Array<number>(rank - s.length).fill(1), ...s];
  });
  for (const s of padded) {
    s.forEach((d, k) => {
      if (d !== 1 && d !== outShape[k]) throw new Error(`cannot broadcast [${s}] to [${outShape}]`);
    });
  }
  const dims: number[] = [];
  const present: boolean[][] = [];
  for (let k = 0; k < rank; k++) {
    const d = outShape[k]!;
    if (d === 1) continue;
    const pattern = padded.map((s) => s[k] !== 1);
    const last = present.length - 1;
    if (last >= 0 && pattern.every((p, i) => p === present[last]![i])) {
      dims[last]! *= d;
    } else {
      dims.push(d);
      present.push(pattern);
    }
  }
  const strides = inShapes.map((_, i) => {
    const st = new Array<number>(dims.length).fill(0);
    let s = 1;
    for (let k = dims.length - 1; k >= 0; k--) {
      if (present[k]![i]) {
        st[k] = s;
        s *= dims[k]!;
      }
    }
    return st;
  });
  return { dims, strides };
}

/**
 * For a flat output index variable `flat`, statements plus one index expression per input into
 * that input's flat data, following NumPy broadcasting. Inputs matching the output read `flat`
 * directly; fully broadcast inputs read 0.
 */
export function broadcastIndices(
  flat: string,
  outShape: readonly number[],
  inShapes: readonly (readonly number[])[],
): { pre: string; index: string[] } {
  const { dims, strides } = collapseBroadcast(outShape, inShapes);
  const full = stridesOf(dims);
  const needsCoords = strides.some((st) => !isContiguous(st, full) && st.some((v) => v !== 0));
  const names = dims.map((_, k) => `c${k}`);
  const pre = needsCoords ? coords(flat, dims, names) : "";
  const index = strides.map((st) => {
    if (st.every((v) => v === 0)) return "0";
    if (isContiguous(st, full)) return flat;
    return dot(names.map((n, k) => [n, st[k]!] as const));
  });
  return { pre, index };
}

function isContiguous(st: readonly number[], full: readonly number[]): boolean {
  return st.every((v, k) => v === full[k]);
}

/** The kernel function text `function(args…) { body }` with the flat output index in `i`. */
export function kernelSource(args: readonly string[], body: string): string {
  return `function(${args.join(", ")}) {\n${int("i", "this.thread.x")}${body}}`;
}

/** How a kernel's threads cover its logical output: the gpu.js output size and coordinate statements. */
export interface Grid {
  output: number[];
  pre: string;
}

/**
 * Covers a row-major output of `dims` with threads, declaring Integer coordinates `names`.
 *
 * With a wide enough innermost axis the threads form a grid `[last, second-last, rest]`, so that
 * `this.thread.x` (the SIMD lane axis) walks the innermost axis and values that depend only on
 * the outer coordinates stay uniform across lanes (loaded once, not gathered). A narrow innermost
 * axis would leave SIMD quads mostly empty, so those outputs use one flat thread axis instead.
 */
export function grid(dims: readonly number[], names: readonly string[]): Grid {
  const size = dims.reduce((a, b) => a * b, 1);
  const last = dims[dims.length - 1] ?? 1;
  if (dims.length < 2 || (last % 4 !== 0 && last < 16)) {
    return { output: [size], pre: int("i", "this.thread.x") + coords("i", dims, names) };
  }
  const n = dims.length;
  let pre = int(names[n - 1]!, "this.thread.x") + int(names[n - 2]!, "this.thread.y");
  const rest = dims.slice(0, n - 2);
  const restSize = rest.reduce((a, b) => a * b, 1);
  if (rest.length > 0) pre += int("z", "this.thread.z") + coords("z", rest, names.slice(0, n - 2));
  return { output: rest.length > 0 ? [last, dims[n - 2]!, restSize] : [last, dims[n - 2]!], pre };
}

/** The kernel function text for a kernel laid out by `g` (its coordinates declared before `body`). */
export function gridSource(args: readonly string[], g: Grid, body: string): string {
  return `function(${args.join(", ")}) {\n${g.pre}${body}}`;
}
