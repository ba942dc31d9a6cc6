import { describe, expect, it } from "vitest";
import { expectClose, expectExact, run, tensor } from "./cpu-helpers.js";

const iota = (n: number, start = 0): number[] => Array.from({ length: n }, (_, i) => i + start);

describe("cpu Transpose", () => {
  it("swaps the axes of a matrix", () => {
    expectClose(run("Transpose", [tensor([1, 2, 3, 4, 5, 6], [2, 3])], { perm: [1, 0] }, [3, 2]), [1, 4, 2, 5, 3, 6]);
  });

  it("permutes three axes", () => {
    // out[k, i, j] = x[i, j, k] for x of shape [2, 3, 4]
    const x = iota(24);
    const expected: number[] = [];
    for (let k = 0; k < 4; k++) for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) expected.push(x[i * 12 + j * 4 + k]!);
    expectExact(run("Transpose", [tensor(x, [2, 3, 4], "int32")], { perm: [2, 0, 1] }, [4, 2, 3], "int32"), expected, "int32");
  });

  it("rejects a perm of the wrong length", () => {
    expect(() => run("Transpose", [tensor([1, 2], [2])], { perm: [1, 0] }, [2])).toThrow(/perm has 2 entries for a rank-1 input/);
  });
});
