/**
 * Fused kernels: several elementwise steps in one pass (optimizer updates).
 *
 * Hyperparameters that stay fixed through training (Adam's β1, β2) are baked into the source as
 * literals; those that change every step (learning rate, β powers) come in as a small input array,
 * so the kernel compiles once instead of once per step.
 */
import type { KernelTable, TensorInfo } from "../../../backend.js";
import { kernelSource, lit } from "../codegen.js";
import { launch, type KernelContext } from "../context.js";

export function fusedKernels(ctx: KernelContext): Pick<KernelTable, "AdamMoments" | "AdamStep"> {
  return {
    AdamMoments: ({ inputs: [moments, g], attrs: { beta1, beta2 }, out }) => {
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
    },
    AdamStep: ({ inputs: [w, moments], attrs, out }) => {
      const n = w.shape.reduce((a, b) => a * b, 1);
      const hyper: TensorInfo = {
        dataId: ctx.store(Float32Array.of(attrs.learningRate, 1 / (1 - attrs.beta1Power), 1 / (1 - attrs.beta2Power), attrs.epsilon), "float32"),
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
    },
  };
}
