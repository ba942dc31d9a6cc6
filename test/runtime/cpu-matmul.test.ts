import { describe, expect, it } from "vitest";
import { expectClose, expectExact, randomValues, run, tensor } from "./cpu-helpers.js";

/** Reference product of row-major `a` [m, k] and `b` [k, n], by the textbook triple loop (i-j-k). */
function naiveMatMul(a: ArrayLike<number>, b: ArrayLike<number>, m: number, k: number, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[i * k + p]! * b[p * n + j]!;
      out.push(s);
    }
  return out;
}

function transposed(v: ArrayLike<number>, rows: number, cols: number): number[] {
  const out: number[] = [];
  for (let c = 0; c < cols; c++) for (let r = 0; r < rows; r++) out.push(v[r * cols + c]!);
  return out;
}

describe("cpu BatchMatMul", () => {
  it("multiplies a 2×3 by a 3×2 matrix", () => {
    const a = tensor([1, 2, 3, 4, 5, 6], [1, 2, 3]);
    const b = tensor([7, 8, 9, 10, 11, 12], [1, 3, 2]);
    expectClose(run("BatchMatMul", [a, b], { transposeA: false, transposeB: false }, [1, 2, 2]), [58, 64, 139, 154]);
  });

  for (const transposeA of [false, true]) {
    for (const transposeB of [false, true]) {
      it(`matches the textbook product with transposeA=${transposeA}, transposeB=${transposeB}`, () => {
        const [batch, m, k, n] = [3, 4, 5, 6];
        const av = randomValues(batch * m * k, 11);
        const bv = randomValues(batch * k * n, 12);
        const aIn: number[] = [];
        const bIn: number[] = [];
        const expected: number[] = [];
        for (let i = 0; i < batch; i++) {
          const ai = av.subarray(i * m * k, (i + 1) * m * k);
          const bi = bv.subarray(i * k * n, (i + 1) * k * n);
          aIn.push(...(transposeA ? transposed(ai, m, k) : Array.from(ai)));
          bIn.push(...(transposeB ? transposed(bi, k, n) : Array.from(bi)));
          expected.push(...naiveMatMul(ai, bi, m, k, n));
        }
        const a = tensor(aIn, transposeA ? [batch, k, m] : [batch, m, k]);
        const b = tensor(bIn, transposeB ? [batch, n, k] : [batch, k, n]);
        expectClose(run("BatchMatMul", [a, b], { transposeA, transposeB }, [batch, m, n]), expected, 1e-6, 1e-6);
      });
    }
  }

  it("reuses a batch of one against every batch of the other side", () => {
    const a = tensor([1, 0, 0, 1, 2, 0, 0, 2], [2, 2, 2]);
    const b = tensor([1, 2, 3, 4], [1, 2, 2]);
    expectClose(
      run("BatchMatMul", [a, b], { transposeA: false, transposeB: false }, [2, 2, 2]),
      [1, 2, 3, 4, 2, 4, 6, 8],
    );
  });

  it("multiplies int32 matrices exactly", () => {
    const a = tensor([1, 2, 3, 4], [1, 2, 2], "int32");
    const b = tensor([5, 6, 7, 8], [1, 2, 2], "int32");
    expectExact(
      run("BatchMatMul", [a, b], { transposeA: false, transposeB: false }, [1, 2, 2], "int32"),
      [19, 22, 43, 50],
      "int32",
    );
  });

  it("propagates NaN and Inf like a real product", () => {
    const a = tensor([0, 1], [1, 1, 2]);
    const b = tensor([Infinity, 2], [1, 2, 1]);
    expectClose(run("BatchMatMul", [a, b], { transposeA: false, transposeB: false }, [1, 1, 1]), [NaN]);
  });

  it("rejects mismatched inner dimensions", () => {
    const a = tensor(new Array(6).fill(1), [1, 2, 3]);
    const b = tensor(new Array(4).fill(1), [1, 2, 2]);
    expect(() => run("BatchMatMul", [a, b], { transposeA: false, transposeB: false }, [1, 2, 2])).toThrow(
      /dimensions disagree/,
    );
  });

  it("multiplies MNIST-sized products (128×784 by 784×128, and 784×128ᵀ by 128×784) correctly", () => {
    const av = randomValues(128 * 784, 3);
    const bv = randomValues(784 * 128, 4);
    const a = tensor(av, [1, 128, 784]);
    const b = tensor(bv, [1, 784, 128]);
    expectClose(
      run("BatchMatMul", [a, b], { transposeA: false, transposeB: false }, [1, 128, 128]),
      naiveMatMul(av, bv, 128, 784, 128),
      1e-5,
      1e-5,
    );
    expectClose(
      run("BatchMatMul", [a, a], { transposeA: true, transposeB: false }, [1, 784, 784]),
      naiveMatMul(transposed(av, 128, 784), av, 784, 128, 784),
      1e-5,
      1e-5,
    );
  });
});
