/**
 * Fused kernels: several steps in one pass (softmax and cross-entropy over rows, optimizer updates),
 * and the simple recurrence (RnnForward, RnnBackward) as one launch per time step.
 *
 * Row kernels give each thread one output value; it loops over its row of the last axis (length
 * baked into the source) for the row's maximum and sums.
 *
 * Hyperparameters that stay fixed through training (Adam's β1, β2) are baked into the source as
 * literals; those that change every step (learning rate, β powers) come in as a small input array,
 * so the kernel compiles once instead of once per step.
 */
import type { DataId, TensorInfo } from "../../../backend.js";
import { divmod, int, kernelSource, lit } from "../codegen.js";
import { type GpuKernel, type KernelContext, launch } from "../context.js";
import { concat } from "./layout.js";
import { unarySource } from "./elementwise.js";

const lastDim = (t: TensorInfo) => (t.shape.length === 0 ? 1 : t.shape[t.shape.length - 1]!);
const sizeOf = (t: TensorInfo) => t.shape.reduce((a, b) => a * b, 1);

/** Statements: Integer `base` (the row's first index) and `j` (the column) of the flat index `i`. */
function rowOf(cols: number, size: number): string {
  return `${divmod("i", cols, "r", "j", size)}${int("base", `r * ${cols}`)}`;
}

/** Statements summing `term` (over `k`) of the row at `base` into `name`. */
function rowSum(name: string, cols: number, term: string): string {
  return `let ${name} = 0.0;
for (let k = 0; k < ${cols}; k++) {
${name} = ${name} + ${term};
}
`;
}

/**
 * Statements: `hit` (1.0 when the label `label` selects a class, i.e. 0 ≤ label < cols, else 0.0)
 * and Integer `c`, that class (`floor(label)`; 0 without one).
 */
function labelClass(label: string, cols: number): string {
  return `const lab = ${label};
let hit = 0.0;
if (lab >= 0 && lab < ${cols}) { hit = 1.0; }
${int("c", "0")}if (hit > 0.5) { c = lab | 0; }
`;
}

/** Gradient expression of each activation from its output `y` and `dy` at index `i`. */
const ACTIVATION_GRAD = {
  relu: "y[i] > 0 ? dy[i] : 0.0",
  sigmoid: "dy[i] * y[i] * (1 - y[i])",
  tanh: "dy[i] * (1 - y[i] * y[i])",
} as const;

/** Each activation of `v`, for BiasActivation. */
const ACTIVATION = {
  linear: "v",
  relu: "v < 0 ? 0.0 : v",
  sigmoid: "1 / (1 + Math.exp(-v))",
  tanh: "Math.tanh(v)",
} as const;

/** Each activation's gradient from its output `y` and the incoming gradient `g` (the recurrence's steps). */
const STEP_GRAD = {
  relu: "hv > 0 ? g : 0.0",
  sigmoid: "g * hv * (1 - hv)",
  tanh: "g * (1 - hv * hv)",
} as const;

/**
 * The simple recurrence as one launch per step, each writing its `[batch, units]` block (the step
 * `st[0]` is an input, so the kernel compiles once) from the previous launch's block; one Concat
 * puts the blocks in time order. `first` is the block the first launch reads as its previous one.
 */
function recurrence(
  ctx: KernelContext,
  name: "RnnForward" | "RnnBackward",
  inputs: readonly TensorInfo[],
  first: TensorInfo,
  shape: number[],
  key: string,
  body: (units: number) => string,
): DataId {
  const [steps, batch, units] = shape as [number, number, number];
  const block = batch * units;
  const out = { shape, dtype: "float32" as const };
  if (steps === 0 || block === 0)
    return launch(ctx, { key: "RnnEmpty", inputs: [first], out, source: () => kernelSource(["x"], "return 0.0;\n") });
  const blockOut = { shape: [1, batch, units], dtype: "float32" as const };
  const source = () =>
    kernelSource(
      ["a", "b", "c", "prev", "st"],
      `${divmod("i", units, "row", "j", block)}${int("s", "st[0] | 0")}${int("at", `s * ${block} + i`)}${body(units)}`,
    );
  const blocks: TensorInfo[] = [];
  try {
    let prev = first;
    for (let n = 0; n < steps; n++) {
      const t = name === "RnnForward" ? n : steps - 1 - n;
      const step: TensorInfo = { dataId: ctx.store(Float32Array.of(t), "float32"), shape: [1], dtype: "float32" };
      try {
        const next = launch(ctx, { key: `${name}:${key}`, inputs: [...inputs, prev, step], out: blockOut, source });
        prev = { dataId: next, ...blockOut };
        blocks.push(prev);
      } finally {
        ctx.dispose(step.dataId);
      }
    }
    if (name === "RnnBackward") blocks.reverse();
    return concat(ctx)({ inputs: blocks, attrs: { axis: 0 }, out });
  } finally {
    for (const b of blocks) ctx.dispose(b.dataId);
  }
}

/** BiasActivation's activations as unary functions (their GL variants on headlessgl: NaN kept, tanh saturating). */
const ACTIVATION_UNARY = { relu: "Relu", sigmoid: "Sigmoid", tanh: "Tanh" } as const;

export const biasActivation: GpuKernel<"BiasActivation"> =
  (ctx) =>
  ({ inputs: [x, bias], attrs: { activation }, out }) => {
    if (ACTIVATION[activation] === undefined)
      throw new Error(`BiasActivation: unknown activation '${String(activation)}'`);
    const fn =
      activation === "linear" ? { expr: "v" } : unarySource(ctx.compiler?.mode, ACTIVATION_UNARY[activation])("v");
    const channels = lastDim(x);
    return launch(ctx, {
      key: `BiasActivation:${activation}`,
      inputs: [x, bias],
      out,
      source: () =>
        kernelSource(
          ["x", "b"],
          `${rowOf(channels, sizeOf(x))}const v = x[i] + b[j];\n${fn.pre ?? ""}return ${fn.expr};\n`,
        ),
    });
  };

export const rnnForward: GpuKernel<"RnnForward"> =
  (ctx) =>
  ({ inputs: [xw, h0, u], attrs: { activation }, out }) => {
    const expr = ACTIVATION[activation];
    if (expr === undefined) throw new Error(`RnnForward: unknown activation '${String(activation)}'`);
    // a: xw, b: unused (h0 comes in as the first launch's prev), c: u; prev: the state before step s.
    return recurrence(
      ctx,
      "RnnForward",
      [xw, h0, u],
      { ...h0, shape: [1, ...h0.shape] },
      out.shape,
      activation,
      (units) => `let v = a[at];
for (let k = 0; k < ${units}; k++) { v = v + prev[row * ${units} + k] * c[k * ${units} + j]; }
return ${expr};
`,
    );
  };

export const rnnBackward: GpuKernel<"RnnBackward"> =
  (ctx) =>
  ({ inputs: [hs, u, dhs], attrs: { activation }, out }) => {
    const expr = STEP_GRAD[activation];
    if (expr === undefined) throw new Error(`RnnBackward: unknown activation '${String(activation)}'`);
    const steps = out.shape[0]!;
    // a: hs, b: u, c: dhs; prev: the gradient at step s + 1 (the last step has none: prev is then a placeholder).
    return recurrence(
      ctx,
      "RnnBackward",
      [hs, u, dhs],
      dhs,
      out.shape,
      activation,
      (units) => `let g = c[at];
if (s < ${steps - 1}) {
for (let k = 0; k < ${units}; k++) { g = g + prev[row * ${units} + k] * b[j * ${units} + k]; }
}
const hv = a[at];
return ${expr};
`,
    );
  };

export const activationGrad: GpuKernel<"ActivationGrad"> =
  (ctx) =>
  ({ inputs: [y, dy], attrs: { activation }, out }) => {
    const expr = ACTIVATION_GRAD[activation];
    if (expr === undefined) throw new Error(`ActivationGrad: unknown activation '${String(activation)}'`);
    return launch(ctx, {
      key: `ActivationGrad:${activation}`,
      inputs: [y, dy],
      out,
      source: () => kernelSource(["y", "dy"], `return ${expr};\n`),
    });
  };

export const softmax: GpuKernel<"Softmax"> =
  (ctx) =>
  ({ inputs: [x], out }) => {
    const cols = lastDim(x);
    return launch(ctx, {
      key: "Softmax",
      inputs: [x],
      out,
      source: () =>
        kernelSource(
          ["x"],
          `${rowOf(cols, sizeOf(x))}let m = x[base];
for (let k = 1; k < ${cols}; k++) {
const v = x[base + k];
if (v > m || v != v) { m = v; }
}
${rowSum("s", cols, "Math.exp(x[base + k] - m)")}return Math.exp(x[i] - m) / s;
`,
        ),
    });
  };

export const softmaxGrad: GpuKernel<"SoftmaxGrad"> =
  (ctx) =>
  ({ inputs: [y, dy], out }) => {
    const cols = lastDim(y);
    return launch(ctx, {
      key: "SoftmaxGrad",
      inputs: [y, dy],
      out,
      source: () =>
        kernelSource(
          ["y", "dy"],
          `${rowOf(cols, sizeOf(y))}${rowSum("d", cols, "dy[base + k] * y[base + k]")}return y[i] * (dy[i] - d);
`,
        ),
    });
  };

export const crossEntropy: GpuKernel<"CrossEntropy"> =
  (ctx) =>
  ({ inputs: [t, p], attrs: { epsilon }, out }) => {
    const cols = lastDim(p);
    return launch(ctx, {
      key: `CrossEntropy:${epsilon}`,
      inputs: [t, p],
      out,
      source: () =>
        kernelSource(
          ["t", "p"],
          `${int("base", `i * ${cols}`)}${rowSum("total", cols, "p[base + k]")}${rowSum(
            "loss",
            cols,
            `t[base + k] * Math.log(Math.min(Math.max(p[base + k] / total, ${lit(epsilon)}), ${lit(1 - epsilon)}))`,
          )}return -loss;
`,
        ),
    });
  };

export const crossEntropyGrad: GpuKernel<"CrossEntropyGrad"> =
  (ctx) =>
  ({ inputs: [t, p, dy], attrs: { epsilon }, out }) => {
    const cols = lastDim(p);
    // u(k) = d(loss)/d(ratio k) where the clip passes the ratio through, else 0.
    const u = (k: string) =>
      `(p[base + ${k}] / total >= ${lit(epsilon)} && p[base + ${k}] / total <= ${lit(1 - epsilon)} ? -t[base + ${k}] / (p[base + ${k}] / total) : 0.0)`;
    return launch(ctx, {
      key: `CrossEntropyGrad:${epsilon}`,
      inputs: [t, p, dy],
      out,
      source: () =>
        kernelSource(
          ["t", "p", "dy"],
          `${rowOf(cols, sizeOf(p))}${rowSum("total", cols, "p[base + k]")}${rowSum("w", cols, `${u("k")} * p[base + k]`)}return dy[r] * (${u("j")} / total - w / (total * total));
`,
        ),
    });
  };

export const sparseCrossEntropy: GpuKernel<"SparseCrossEntropy"> =
  (ctx) =>
  ({ inputs: [labels, p], attrs: { epsilon }, out }) => {
    const cols = lastDim(p);
    return launch(ctx, {
      key: `SparseCrossEntropy:${epsilon}`,
      inputs: [labels, p],
      out,
      source: () =>
        kernelSource(
          ["labels", "p"],
          `${labelClass("labels[i]", cols)}${int("base", `i * ${cols}`)}${rowSum("total", cols, "p[base + k]")}if (hit > 0.5) {
return -Math.log(Math.min(Math.max(p[base + c] / total, ${lit(epsilon)}), ${lit(1 - epsilon)}));
}
return 0.0;
`,
        ),
    });
  };

export const sparseCrossEntropyGrad: GpuKernel<"SparseCrossEntropyGrad"> =
  (ctx) =>
  ({ inputs: [labels, p, dy], attrs: { epsilon }, out }) => {
    const cols = lastDim(p);
    // CrossEntropyGrad with one target: u = −1/ratio at the label (0 where the clip clamps), 0 elsewhere.
    return launch(ctx, {
      key: `SparseCrossEntropyGrad:${epsilon}`,
      inputs: [labels, p, dy],
      out,
      source: () =>
        kernelSource(
          ["labels", "p", "dy"],
          `${rowOf(cols, sizeOf(p))}${labelClass("labels[r]", cols)}${rowSum("total", cols, "p[base + k]")}const ratio = p[base + c] / total;
let u = 0.0;
if (ratio >= ${lit(epsilon)} && ratio <= ${lit(1 - epsilon)}) { u = -1 / ratio; }
const w = u * p[base + c] / (total * total);
if (hit > 0.5) {
if (j == c) { return dy[r] * (u / total - w); }
return dy[r] * (0.0 / total - w);
}
return 0.0;
`,
        ),
    });
  };

export const adamMoments: GpuKernel<"AdamMoments"> =
  (ctx) =>
  ({ inputs: [moments, g], attrs: { beta1, beta2 }, out }) => {
    const n = g.shape.reduce((a, b) => a * b, 1);
    return launch(ctx, {
      key: `AdamMoments:${beta1}:${beta2}`,
      inputs: [moments, g],
      out,
      source: () =>
        kernelSource(
          ["mv", "g"],
          `if (i < ${n}) { return ${lit(beta1)} * mv[i] + ${lit(1 - beta1)} * g[i]; }
const gi = g[i - ${n}];
return ${lit(beta2)} * mv[i] + ${lit(1 - beta2)} * gi * gi;
`,
        ),
    });
  };

export const adamStep: GpuKernel<"AdamStep"> =
  (ctx) =>
  ({ inputs: [w, moments], attrs, out }) => {
    const n = w.shape.reduce((a, b) => a * b, 1);
    const hyper: TensorInfo = {
      dataId: ctx.store(
        Float32Array.of(attrs.learningRate, 1 / (1 - attrs.beta1Power), 1 / (1 - attrs.beta2Power), attrs.epsilon),
        "float32",
      ),
      shape: [4],
      dtype: "float32",
    };
    try {
      return launch(ctx, {
        key: "AdamStep",
        inputs: [w, moments, hyper],
        out,
        source: () =>
          kernelSource(
            ["w", "mv", "h"],
            `const mHat = mv[i] * h[1];
const vHat = mv[i + ${n}] * h[2];
return w[i] - h[0] * mHat / (Math.sqrt(vHat) + h[3]);
`,
          ),
      });
    } finally {
      ctx.dispose(hyper.dataId);
    }
  };
