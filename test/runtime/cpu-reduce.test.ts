import { describe, expect, it } from "vitest";
import type { DType } from "../../src/runtime/backend.js";
import type { ReduceKernelName } from "../../src/runtime/kernels.js";
import { expectClose, expectExact, expectValues, run, tensor } from "./cpu-helpers.js";

interface ReduceCase {
  x: number[];
  reduceSize: number;
  expected: number[];
  dtype?: DType;
  outDtype?: DType;
}

// Rows of the [outer, reduceSize] input are written one after the other.
const cases: Record<ReduceKernelName, ReduceCase[]> = {
  Sum: [
    { x: [1, 2, 3, 4, 5, 6], reduceSize: 3, expected: [6, 15] },
    { x: [1, 2, 3, 4, 5, 6], reduceSize: 6, expected: [21] },
    { x: [7, -2, 5, 1], reduceSize: 2, expected: [5, 6], dtype: "int32" },
    { x: [1, 0, 1, 1], reduceSize: 4, expected: [3], dtype: "bool", outDtype: "int32" },
  ],
  Prod: [
    { x: [1, 2, 3, 4, -0.5, 6], reduceSize: 3, expected: [6, -12] },
    { x: [2, 3, -4], reduceSize: 3, expected: [-24], dtype: "int32" },
  ],
  Max: [
    { x: [1, 5, 3, -4, -2, -9], reduceSize: 3, expected: [5, -2] },
    { x: [1, NaN, 3], reduceSize: 3, expected: [NaN] },
  ],
  Min: [
    { x: [1, 5, 3, -4, -2, -9], reduceSize: 3, expected: [1, -9] },
    { x: [4, 2, 8, 1], reduceSize: 2, expected: [2, 1], dtype: "int32" },
  ],
  ArgMax: [
    { x: [1, 5, 5, -4, -2, -9], reduceSize: 3, expected: [1, 1], outDtype: "int32" },
    { x: [NaN, 2, 7, 7], reduceSize: 4, expected: [2], outDtype: "int32" },
  ],
  ArgMin: [
    { x: [1, 5, 1, -4, -2, -9], reduceSize: 3, expected: [0, 2], outDtype: "int32" },
    { x: [3, 1, 2, 1], reduceSize: 4, expected: [1], dtype: "int32", outDtype: "int32" },
  ],
  Any: [{ x: [0, 0, 1, 0, 0, 0], reduceSize: 3, expected: [1, 0], dtype: "bool", outDtype: "bool" }],
  All: [{ x: [1, 1, 1, 1, 0, 1], reduceSize: 3, expected: [1, 0], dtype: "bool", outDtype: "bool" }],
};

describe("cpu reductions over the innermost axis", () => {
  for (const [name, list] of Object.entries(cases) as [ReduceKernelName, ReduceCase[]][]) {
    for (const c of list) {
      const dtype = c.dtype ?? "float32";
      const outDtype = c.outDtype ?? dtype;
      it(`${name} of ${dtype} rows of ${c.reduceSize} → ${outDtype}`, () => {
        const outer = c.x.length / c.reduceSize;
        const out = run(
          name,
          [tensor(c.x, [outer, c.reduceSize], dtype)],
          { reduceSize: c.reduceSize },
          [outer],
          outDtype,
        );
        expectValues(out, c.expected, outDtype);
      });
    }
  }

  it("gives each reduction's identity for empty rows", () => {
    const x = tensor([], [2, 0]);
    expectExact(run("Sum", [x], { reduceSize: 0 }, [2]), [0, 0], "float32");
    expectExact(run("Prod", [x], { reduceSize: 0 }, [2]), [1, 1], "float32");
    expectExact(run("Max", [x], { reduceSize: 0 }, [2]), [-Infinity, -Infinity], "float32");
    expectExact(run("Min", [x], { reduceSize: 0 }, [2]), [Infinity, Infinity], "float32");
    const b = tensor([], [1, 0], "bool");
    expectExact(run("Any", [b], { reduceSize: 0 }, [1], "bool"), [0], "bool");
    expectExact(run("All", [b], { reduceSize: 0 }, [1], "bool"), [1], "bool");
  });

  it("sums many float32 values without float32 accumulation error", () => {
    const n = 1 << 20;
    const x = new Array<number>(n).fill(0.1);
    const out = run("Sum", [tensor(x, [1, n])], { reduceSize: n }, [1]);
    expectClose(out, [n * Math.fround(0.1)], 1e-7);
  });

  it("rejects a reduceSize that does not divide the input into the output", () => {
    expect(() => run("Sum", [tensor([1, 2, 3, 4, 5, 6], [2, 3])], { reduceSize: 4 }, [2])).toThrow(
      /cannot reduce by 4/,
    );
  });
});
