/**
 * `tf.gradCheck`: compares the gradients autograd computes with central finite differences.
 */
import { getEngine } from "./engine.js";
import { Prng } from "./random.js";
import type { Tensor, TensorLike } from "./tensor.js";
import { convert } from "./ops/convert.js";
import { gradients } from "./tape.js";

export interface GradCheckResult {
  /** Largest `|analytic - numeric| / max(1, |analytic|, |numeric|)` over all elements of all inputs. */
  maxRelError: number;
  /** `maxRelError <= tol`. */
  ok: boolean;
  /** Per input: autograd's and the finite-difference gradient, flattened. */
  analytic: number[][];
  numeric: number[][];
}

/**
 * Checks the gradient of `f` at `xs`. A non-scalar result is first reduced to a scalar with fixed
 * random weights (so errors cannot cancel out). Numeric derivatives are central differences
 * `(L(x+eps) - L(x-eps)) / 2eps`, with L summed in float64 on the host.
 * Example: `tf.gradCheck((x) => x.square().sum(), [tf.tensor([1, 2, 3])]).maxRelError` ≈ 1e-4.
 */
export function gradCheck(
  f: (...xs: Tensor[]) => Tensor,
  xs: TensorLike[],
  options: { eps?: number; tol?: number } = {},
): GradCheckResult {
  const eps = options.eps ?? 1e-3;
  const tol = options.tol ?? 1e-2;
  const e = getEngine();
  const inputs = xs.map((x, i) => convert(x, `xs[${i}]`, "gradCheck"));
  for (const x of inputs)
    if (x.dtype !== "float32") throw new Error(`gradCheck: inputs must be float32, got ${x.dtype}`);
  const values = inputs.map((x) => Float64Array.from(x.dataSync()));

  let weights: Float64Array | undefined;
  const lossOf = (out: Tensor): number => {
    const v = out.dataSync();
    if (!weights) {
      const g = new Prng(12345);
      weights = Float64Array.from({ length: v.length }, () => 0.5 + g.next());
    }
    let s = 0;
    for (let i = 0; i < v.length; i++) s += v[i] * weights[i];
    return s;
  };

  const analytic = e.tidy(() => {
    const out = f(...inputs);
    lossOf(out);
    const dy = e.makeTensor(Float32Array.from(weights!), out.shape.slice(), "float32");
    const { value, grads } = gradients(() => f(...inputs), inputs, dy);
    value.dispose();
    return grads.map((g) => Array.from(g!.dataSync()));
  });

  const numeric: number[][] = [];
  inputs.forEach((x, k) => {
    const grad: number[] = [];
    for (let i = 0; i < x.size; i++) {
      const at = (moved: number): number =>
        e.tidy(() => {
          const vals = Float32Array.from(values[k]);
          vals[i] = moved;
          const shifted = inputs.map((t, j) => (j === k ? e.makeTensor(vals, t.shape.slice(), "float32") : t));
          return lossOf(f(...shifted));
        });
      // The step actually taken, after rounding x ± eps to float32.
      const plus = Math.fround(values[k][i] + eps);
      const minus = Math.fround(values[k][i] - eps);
      grad.push((at(plus) - at(minus)) / (plus - minus));
    }
    numeric.push(grad);
  });

  let maxRelError = 0;
  analytic.forEach((a, k) =>
    a.forEach((v, i) => {
      const n = numeric[k][i];
      const err = Math.abs(v - n) / Math.max(1, Math.abs(v), Math.abs(n));
      maxRelError = Math.max(maxRelError, Number.isNaN(err) ? Infinity : err);
    }),
  );
  return { maxRelError, ok: maxRelError <= tol, analytic, numeric };
}
