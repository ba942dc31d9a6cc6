/**
 * Fused loss primitives for `src/models/losses.ts` (one kernel forward and one backward instead of
 * a dozen small ops). Not part of the public `tf` namespace: the losses there are the API.
 */
import { getEngine } from "../engine.js";
import type { Tensor } from "../tensor.js";
import { div, maximum, minimum, mul, sub } from "./arithmetic.js";
import { range } from "./creation.js";
import { equal, greaterEqual, lessEqual, logicalAnd, where } from "./logical.js";
import { sum } from "./reduction.js";
import { cast, expandDims, reshape } from "./shape.js";
import { floor, log, neg } from "./unary.js";
import { shapeStr } from "./util.js";

/**
 * Cross-entropy of probabilities `probs` against `targets` (same shape `[..., classes]`), per row of
 * the last axis: `−Σ t·log(clip(p / Σp, ε, 1 − ε))`. The result drops the last axis.
 * Example: `crossEntropy(oneHotLabels, model.predict(x), 1e-7)`.
 */
export function crossEntropy(targets: Tensor, probs: Tensor, epsilon: number): Tensor {
  const t = targets.dtype === "float32" ? targets : cast(targets, "float32");
  const p = probs.dtype === "float32" ? probs : cast(probs, "float32");
  if (p.rank === 0 || t.rank !== p.rank || t.shape.some((d, i) => d !== p.shape[i])) {
    throw new Error(
      `crossEntropy: targets ${shapeStr(t.shape)} and probabilities ${shapeStr(p.shape)} must have one shape of rank >= 1`,
    );
  }
  const attrs = { epsilon };
  return getEngine().runKernel(
    "CrossEntropy",
    [t, p],
    attrs,
    { shape: p.shape.slice(0, -1), dtype: "float32" },
    (dy, [ts, ps], _y, needed) => {
      let dp: Tensor | null = null;
      if (needed[1]) {
        dp = getEngine().tape
          ? crossEntropyGradOps(ts, ps, dy, epsilon)
          : getEngine().runKernel("CrossEntropyGrad", [ts, ps, dy], attrs, {
              shape: ps.shape.slice(),
              dtype: "float32",
            });
      }
      // Soft targets that are themselves computed: d/dt = −log(clip(p / Σp)).
      const dt = needed[0]
        ? neg(
            mul(reshape(dy, [...dy.shape, 1]), log(maximum(minimum(div(ps, sum(ps, -1, true)), 1 - epsilon), epsilon))),
          )
        : null;
      return [dt, dp];
    },
  );
}

/**
 * Cross-entropy of probabilities `probs` (`[..., classes]`) against class indices `labels` (the
 * shape of `probs` without its last axis), per row: `−log(clip(p[label] / Σp, ε, 1 − ε))`, i.e.
 * `crossEntropy` against one-hot targets without making them. A fractional label selects
 * `floor(label)`; one outside `[0, classes)` gives 0 loss and gradient. Labels get no gradient.
 * Example: `sparseCrossEntropy(tf.tensor([2, 0]), model.predict(x), 1e-7)`.
 */
export function sparseCrossEntropy(labels: Tensor, probs: Tensor, epsilon: number): Tensor {
  const l = labels.dtype === "float32" ? labels : cast(labels, "float32");
  const p = probs.dtype === "float32" ? probs : cast(probs, "float32");
  if (p.rank === 0 || l.rank !== p.rank - 1 || l.shape.some((d, i) => d !== p.shape[i])) {
    throw new Error(
      `sparseCrossEntropy: labels ${shapeStr(l.shape)} must have the shape of probabilities ${shapeStr(p.shape)} without its last axis`,
    );
  }
  const attrs = { epsilon };
  return getEngine().runKernel(
    "SparseCrossEntropy",
    [l, p],
    attrs,
    { shape: l.shape.slice(), dtype: "float32" },
    (dy, [ls, ps], _y, needed) => {
      if (!needed[1]) return [null, null];
      if (getEngine().tape) {
        // The label's class as a one-hot row (none for a label outside [0, classes) or NaN).
        const classes = range(0, ps.shape[ps.rank - 1], 1, "float32");
        const t = cast(equal(expandDims(floor(ls), -1), classes), "float32");
        return [null, crossEntropyGradOps(t, ps, dy, epsilon)];
      }
      const dp = getEngine().runKernel("SparseCrossEntropyGrad", [ls, ps, dy], attrs, {
        shape: ps.shape.slice(),
        dtype: "float32",
      });
      return [null, dp];
    },
  );
}

/**
 * CrossEntropyGrad written with public ops, for a backward pass that is itself being differentiated
 * (an enclosing tape records it): `dy·(u/S − Σu·p / S²)` per row, with `S = Σp` and
 * `u = −t / (p/S)` where the clip passes `p/S` through, 0 where it clamps.
 */
function crossEntropyGradOps(t: Tensor, p: Tensor, dy: Tensor, epsilon: number): Tensor {
  const total = sum(p, -1, true);
  const ratio = div(p, total);
  const inside = logicalAnd(greaterEqual(ratio, epsilon), lessEqual(ratio, 1 - epsilon));
  const u = where(inside, neg(div(t, where(inside, ratio, 1))), 0);
  const rowTerm = div(sum(mul(u, p), -1, true), mul(total, total));
  return mul(expandDims(dy, -1), sub(div(u, total), rowTerm));
}
