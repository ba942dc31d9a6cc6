/**
 * Dense layers' elementwise kernels in WebAssembly SIMD, four float32 lanes at a time with a
 * scalar tail:
 * - `bias_act(x, bias, y, rows, c, relu)`: `y[r, j] = act(x[r, j] + bias[j])` over `rows` rows
 *   of `c`, act the identity or relu (`v < 0 ? 0 : v`, so −0 and NaN pass through as on cpu);
 * - `relu_grad(y, dy, dx, n)`: `dx = y > 0 ? dy : 0`.
 * Addresses are byte addresses in the shared memory; float32 sums round as the cpu backend's
 * float64 sums do once stored (one addition of two float32 values).
 */
import { f32, f32x4, i32, select, v128 } from "../assembler/instructions.js";
import type { ModuleBuilder } from "../assembler/module.js";

export function addActivations(m: ModuleBuilder): void {
  const params = { x: "i32", bias: "i32", y: "i32", rows: "i32", c: "i32", relu: "i32" } as const;
  m.func("bias_act", params, "void", (f, p) => {
    const r = f.local("i32");
    const j = f.local("i32");
    const px = f.local("i32");
    const py = f.local("i32");
    const vectorEnd = f.local("i32");
    const rowBytes = f.local("i32");
    const v = f.local("v128");
    const s = f.local("f32");
    f.set(vectorEnd, i32.and(p.c, -4));
    f.set(rowBytes, i32.shl(p.c, 2));
    f.set(px, p.x);
    f.set(py, p.y);
    const zero = f32x4.const(0);
    f.forRange(r, 0, p.rows, 1, () => {
      f.forRange(j, 0, vectorEnd, 4, () => {
        const at = i32.shl(j, 2);
        f.set(v, f32x4.add(v128.load(i32.add(px, at)), v128.load(i32.add(p.bias, at))));
        f.if(p.relu, () => f.set(v, f32x4.pmax(v, zero)));
        f.emit(v128.store(i32.add(py, at), v));
      });
      f.forRange(j, vectorEnd, p.c, 1, () => {
        const at = i32.shl(j, 2);
        f.set(s, f32.add(f32.load(i32.add(px, at)), f32.load(i32.add(p.bias, at))));
        f.if(p.relu, () => f.set(s, select("f32", f32.const(0), s, f32.lt(s, f32.const(0)))));
        f.emit(f32.store(i32.add(py, at), s));
      });
      f.increment(px, rowBytes);
      f.increment(py, rowBytes);
    });
  });

  m.func("relu_grad", { y: "i32", dy: "i32", dx: "i32", n: "i32" } as const, "void", (f, p) => {
    const i = f.local("i32");
    const vectorEnd = f.local("i32");
    f.set(vectorEnd, i32.and(p.n, -4));
    const zero = f32x4.const(0);
    f.forRange(i, 0, vectorEnd, 4, () => {
      const at = i32.shl(i, 2);
      const positive = f32x4.gt(v128.load(i32.add(p.y, at)), zero);
      f.emit(v128.store(i32.add(p.dx, at), v128.and(v128.load(i32.add(p.dy, at)), positive)));
    });
    f.forRange(i, vectorEnd, p.n, 1, () => {
      const at = i32.shl(i, 2);
      const value = select(
        "f32",
        f32.load(i32.add(p.dy, at)),
        f32.const(0),
        f32.gt(f32.load(i32.add(p.y, at)), f32.const(0)),
      );
      f.emit(f32.store(i32.add(p.dx, at), value));
    });
  });
}
