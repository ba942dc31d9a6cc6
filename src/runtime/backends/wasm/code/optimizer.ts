/**
 * Adam's two passes in WebAssembly SIMD, four float32 lanes at a time with a scalar tail (the
 * second moments start `n` elements after the first, so their vectors may be unaligned):
 * - `adam_moments(m, g, out, n, beta1, beta2)`: `out[i] = β1·m[i] + (1 − β1)·g[i]`,
 *   `out[n + i] = β2·m[n + i] + (1 − β2)·g[i]²`;
 * - `adam_step(w, m, out, n, rate, vScale, epsilon)`: `out[i] = w[i] − rate·m[i] / (√(vScale·m[n + i]) + ε)`
 *   with `rate = learningRate / (1 − β1ᵗ)` and `vScale = 1 / (1 − β2ᵗ)` (computed by the caller).
 */
import { f32, f32x4, type F32, i32, type I32, v128, type V128 } from "../assembler/instructions.js";
import type { FunctionBuilder, ModuleBuilder } from "../assembler/module.js";

/**
 * `for i in [0, n)`: `vector(at)` on whole groups of four, `scalar(at)` on the rest, `at` the
 * byte offset of element i.
 */
function lanes(f: FunctionBuilder, n: I32, vector: (at: I32) => void, scalar: (at: I32) => void): void {
  const i = f.local("i32");
  const end = f.local("i32");
  f.set(end, i32.and(n, -4));
  f.forRange(i, 0, end, 4, () => vector(i32.shl(i, 2)));
  f.forRange(i, end, n, 1, () => scalar(i32.shl(i, 2)));
}

export function addOptimizers(m: ModuleBuilder): void {
  const momentParams = { m: "i32", g: "i32", out: "i32", n: "i32", beta1: "f32", beta2: "f32" } as const;
  m.func("adam_moments", momentParams, "void", (f, p) => {
    const second = f.local("i32"); // byte offset of the second moments
    f.set(second, i32.shl(p.n, 2));
    // β·old + (1 − β)·x, on four lanes or one.
    const moment4 = (beta: V128, rest: V128, old: V128, x: V128) => f32x4.add(f32x4.mul(beta, old), f32x4.mul(rest, x));
    const moment1 = (beta: F32, old: F32, x: F32) =>
      f32.add(f32.mul(beta, old), f32.mul(f32.sub(f32.const(1), beta), x));
    const b1 = f.local("v128");
    const b2 = f.local("v128");
    const r1 = f.local("v128");
    const r2 = f.local("v128");
    const g = f.local("v128");
    f.set(b1, f32x4.splat(p.beta1));
    f.set(b2, f32x4.splat(p.beta2));
    f.set(r1, f32x4.splat(f32.sub(f32.const(1), p.beta1)));
    f.set(r2, f32x4.splat(f32.sub(f32.const(1), p.beta2)));
    const gs = f.local("f32");
    lanes(
      f,
      p.n,
      (at) => {
        f.set(g, v128.load(i32.add(p.g, at)));
        f.emit(v128.store(i32.add(p.out, at), moment4(b1, r1, v128.load(i32.add(p.m, at)), g)));
        const m2 = v128.load(i32.add(i32.add(p.m, second), at));
        f.emit(v128.store(i32.add(i32.add(p.out, second), at), moment4(b2, r2, m2, f32x4.mul(g, g))));
      },
      (at) => {
        f.set(gs, f32.load(i32.add(p.g, at)));
        f.emit(f32.store(i32.add(p.out, at), moment1(p.beta1, f32.load(i32.add(p.m, at)), gs)));
        const m2 = f32.load(i32.add(i32.add(p.m, second), at));
        f.emit(f32.store(i32.add(i32.add(p.out, second), at), moment1(p.beta2, m2, f32.mul(gs, gs))));
      },
    );
  });

  const stepParams = { w: "i32", m: "i32", out: "i32", n: "i32", rate: "f32", vScale: "f32", epsilon: "f32" } as const;
  m.func("adam_step", stepParams, "void", (f, p) => {
    const second = f.local("i32");
    f.set(second, i32.shl(p.n, 2));
    const rate = f.local("v128");
    const vScale = f.local("v128");
    const epsilon = f.local("v128");
    f.set(rate, f32x4.splat(p.rate));
    f.set(vScale, f32x4.splat(p.vScale));
    f.set(epsilon, f32x4.splat(p.epsilon));
    lanes(
      f,
      p.n,
      (at) => {
        const denominator = f32x4.add(
          f32x4.sqrt(f32x4.mul(vScale, v128.load(i32.add(i32.add(p.m, second), at)))),
          epsilon,
        );
        const update = f32x4.div(f32x4.mul(rate, v128.load(i32.add(p.m, at))), denominator);
        f.emit(v128.store(i32.add(p.out, at), f32x4.sub(v128.load(i32.add(p.w, at)), update)));
      },
      (at) => {
        const denominator = f32.add(
          f32.sqrt(f32.mul(p.vScale, f32.load(i32.add(i32.add(p.m, second), at)))),
          p.epsilon,
        );
        const update = f32.div(f32.mul(p.rate, f32.load(i32.add(p.m, at))), denominator);
        f.emit(f32.store(i32.add(p.out, at), f32.sub(f32.load(i32.add(p.w, at)), update)));
      },
    );
  });
}
