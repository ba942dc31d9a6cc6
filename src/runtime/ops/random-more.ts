/** More random tensors: `rand` (from any function), `randomGamma`, `randomUniformInt`. Seeded like the others. */
import { typedArrayFor, type DType } from "../backend.js";
import { getEngine } from "../engine.js";
import { generatorFor, type Prng } from "../random.js";
import type { Tensor } from "../tensor.js";
import { checkDtype, checkShape } from "./convert.js";
import { randomUniform } from "./creation.js";

function filled(op: string, shape: number[], dtype: DType, draw: () => number): Tensor {
  checkShape(op, shape);
  const dt = checkDtype(op, dtype);
  if (dt === "bool") throw new Error(`${op}: dtype bool is not supported`);
  const data = typedArrayFor(
    dt,
    shape.reduce((a, b) => a * b, 1),
  );
  for (let i = 0; i < data.length; i++) data[i] = draw();
  return getEngine().makeTensor(data, shape.slice(), dt);
}

/** A tensor of `shape` whose every element is a call of `randFunction`. Example: `tf.rand([2, 2], () => Math.random())`. */
export function rand(shape: number[], randFunction: () => number, dtype: DType = "float32"): Tensor {
  if (typeof randFunction !== "function") throw new Error("rand: randFunction must be a function");
  return filled("rand", shape, dtype, randFunction);
}

/** One Gamma(alpha, 1) draw (Marsaglia–Tsang; alpha < 1 boosted by a uniform power). */
function gammaDraw(g: Prng, alpha: number): number {
  const boost = alpha < 1 ? g.next() ** (1 / alpha) : 1;
  const a = alpha < 1 ? alpha + 1 : alpha;
  const d = a - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = g.normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = g.next();
    if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v * boost;
  }
}

/**
 * Gamma-distributed samples with shape `alpha` and rate `beta` (mean `alpha / beta`).
 * Example: `tf.randomGamma([100], 2, 1, "float32", 42)`.
 */
export function randomGamma(
  shape: number[],
  alpha: number,
  beta = 1,
  dtype: "float32" | "int32" = "float32",
  seed?: number | null,
): Tensor {
  if (!(alpha > 0) || !(beta > 0))
    throw new Error(`randomGamma: alpha and beta must be positive, got ${alpha} and ${beta}`);
  const g = generatorFor(seed);
  const draw = () => gammaDraw(g, alpha) / beta;
  return filled("randomGamma", shape, dtype, dtype === "int32" ? () => Math.round(draw()) : draw);
}

/** Uniform int32 samples in `[minval, maxval)`. Example: `tf.randomUniformInt([5], 0, 10, 3)`. */
export function randomUniformInt(shape: number[], minval: number, maxval: number, seed?: number | null): Tensor {
  if (!Number.isInteger(minval) || !Number.isInteger(maxval) || maxval <= minval) {
    throw new Error(
      `randomUniformInt: minval and maxval must be integers with minval < maxval, got ${minval} and ${maxval}`,
    );
  }
  return randomUniform(shape, minval, maxval, "int32", seed ?? undefined);
}
