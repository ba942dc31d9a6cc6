/**
 * Reductions over the innermost axis of a `[outer, reduceSize]` input: one gpu.js thread per
 * output row loops over its row.
 */
import type { ReduceKernelName } from "../../../kernels.js";
import { int, kernelSource } from "../codegen.js";
import { type GpuKernel, launch } from "../context.js";

// Sums are accumulated in blocks of this many terms, then the block sums are added: the float32
// rounding error then grows with BLOCK + n / BLOCK instead of n.
const BLOCK = 64;

/** Loop body per reduction over `v = x[base + k]`, with its result expression. */
function reduceBody(name: ReduceKernelName, n: number): string {
  const loop = (body: string, from = 0) => `for (let k = ${from}; k < ${n}; k++) {\nconst v = x[base + k];\n${body}}\n`;
  switch (name) {
    case "Sum":
      return (
        `let s = 0.0;\nlet p = 0.0;\n` +
        loop(`p = p + v;\nif ((k & ${BLOCK - 1}) == ${BLOCK - 1}) { s = s + p; p = 0.0; }\n`) +
        `return s + p;\n`
      );
    case "Prod":
      return `let s = 1.0;\n${loop("s = s * v;\n")}return s;\n`;
    case "Max":
    case "Min": {
      if (n === 0) return `return ${name === "Max" ? "-1 / 0" : "1 / 0"};\n`;
      const cmp = name === "Max" ? ">" : "<";
      // NaN propagates: once m is NaN no comparison replaces it
      return `let m = x[base];\n${loop(`if (v ${cmp} m || v != v) { m = v; }\n`, 1)}return m;\n`;
    }
    case "ArgMax":
    case "ArgMin": {
      if (n === 0) return "return 0;\n";
      const cmp = name === "ArgMax" ? ">" : "<";
      // NaNs are skipped unless the whole row is NaN (then 0), like the cpu backend
      return `let m = x[base];\nlet at = 0;\n${loop(`if (v ${cmp} m || (m != m && v == v)) { m = v; at = k; }\n`, 1)}return at;\n`;
    }
    case "Any":
      return `let s = 0.0;\n${loop("if (v != 0) { s = 1.0; }\n")}return s;\n`;
    case "All":
      return `let s = 1.0;\n${loop("if (v == 0) { s = 0.0; }\n")}return s;\n`;
  }
}

/** The kernel of reduction `name`: one thread per output row loops over its row. */
export function reduceKernel(name: ReduceKernelName): GpuKernel<ReduceKernelName> {
  return (ctx) =>
    ({ inputs: [x], attrs: { reduceSize }, out }) =>
      launch(ctx, {
        key: `${name}:${reduceSize}`,
        inputs: [x],
        out,
        source: () => kernelSource(["x"], `${int("base", `i * ${reduceSize}`)}${reduceBody(name, reduceSize)}`),
      });
}
