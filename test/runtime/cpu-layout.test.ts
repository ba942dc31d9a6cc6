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
    for (let k = 0; k < 4; k++)
      for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) expected.push(x[i * 12 + j * 4 + k]!);
    expectExact(
      run("Transpose", [tensor(x, [2, 3, 4], "int32")], { perm: [2, 0, 1] }, [4, 2, 3], "int32"),
      expected,
      "int32",
    );
  });

  it("rejects a perm of the wrong length", () => {
    expect(() => run("Transpose", [tensor([1, 2], [2])], { perm: [1, 0] }, [2])).toThrow(
      /perm has 2 entries for a rank-1 input/,
    );
  });
});

describe("cpu Slice", () => {
  it("takes a block from the middle of a 3-D tensor", () => {
    const x = iota(24); // shape [2, 3, 4]
    const expected: number[] = [];
    for (let i = 1; i < 2; i++)
      for (let j = 1; j < 3; j++) for (let k = 1; k < 4; k++) expected.push(x[i * 12 + j * 4 + k]!);
    expectClose(run("Slice", [tensor(x, [2, 3, 4])], { begin: [1, 1, 1], size: [1, 2, 3] }, [1, 2, 3]), expected);
  });

  it("slices int32 and handles an empty slice", () => {
    expectExact(
      run("Slice", [tensor([1, 2, 3, 4], [4], "int32")], { begin: [1], size: [2] }, [2], "int32"),
      [2, 3],
      "int32",
    );
    expectExact(run("Slice", [tensor([1, 2, 3, 4], [2, 2])], { begin: [0, 1], size: [2, 0] }, [2, 0]), [], "float32");
  });

  it("rejects a slice past the end", () => {
    expect(() => run("Slice", [tensor([1, 2, 3], [3])], { begin: [2], size: [2] }, [2])).toThrow(
      /out of range for axis 0/,
    );
  });
});

describe("cpu Concat", () => {
  it("joins along the first axis", () => {
    const out = run("Concat", [tensor([1, 2], [1, 2]), tensor([3, 4, 5, 6], [2, 2])], { axis: 0 }, [3, 2]);
    expectClose(out, [1, 2, 3, 4, 5, 6]);
  });

  it("joins three inputs along an inner axis", () => {
    const a = tensor([1, 2, 3, 4], [2, 2]);
    const b = tensor([5, 6], [2, 1]);
    const c = tensor([7, 8, 9, 10, 11, 12], [2, 3]);
    expectClose(run("Concat", [a, b, c], { axis: 1 }, [2, 6]), [1, 2, 5, 7, 8, 9, 3, 4, 6, 10, 11, 12]);
  });

  it("joins bool tensors along the last of three axes", () => {
    const a = tensor([1, 0, 0, 1], [2, 1, 2], "bool");
    const b = tensor([1, 1], [2, 1, 1], "bool");
    expectExact(run("Concat", [a, b], { axis: 2 }, [2, 1, 3], "bool"), [1, 0, 1, 0, 1, 1], "bool");
  });

  it("rejects inputs whose sizes do not fill the output", () => {
    expect(() => run("Concat", [tensor([1, 2], [1, 2])], { axis: 0 }, [2, 2])).toThrow(/Concat/);
  });
});

describe("cpu Pad", () => {
  it("pads a matrix with a constant, unevenly on each side", () => {
    const out = run(
      "Pad",
      [tensor([1, 2, 3, 4], [2, 2])],
      {
        paddings: [
          [1, 0],
          [0, 2],
        ],
        constantValue: 9,
      },
      [3, 4],
    );
    expectClose(out, [9, 9, 9, 9, 1, 2, 9, 9, 3, 4, 9, 9]);
  });

  it("pads with zeros in int32", () => {
    expectExact(
      run("Pad", [tensor([5, 6], [2], "int32")], { paddings: [[2, 1]], constantValue: 0 }, [5], "int32"),
      [0, 0, 5, 6, 0],
      "int32",
    );
  });
});

describe("cpu Reverse", () => {
  const x = [1, 2, 3, 4, 5, 6]; // [2, 3]
  it("reverses one axis or both", () => {
    expectClose(run("Reverse", [tensor(x, [2, 3])], { axes: [0] }, [2, 3]), [4, 5, 6, 1, 2, 3]);
    expectClose(run("Reverse", [tensor(x, [2, 3])], { axes: [1] }, [2, 3]), [3, 2, 1, 6, 5, 4]);
    expectClose(run("Reverse", [tensor(x, [2, 3])], { axes: [0, 1] }, [2, 3]), [6, 5, 4, 3, 2, 1]);
    expectClose(run("Reverse", [tensor(x, [2, 3])], { axes: [] }, [2, 3]), x);
  });

  it("rejects an axis out of range", () => {
    expect(() => run("Reverse", [tensor(x, [2, 3])], { axes: [2] }, [2, 3])).toThrow(/axis 2 is out of range/);
  });
});

describe("cpu Tile", () => {
  it("repeats a matrix along both axes", () => {
    const out = run("Tile", [tensor([1, 2, 3, 4], [2, 2])], { reps: [2, 3] }, [4, 6]);
    const rows = [
      [1, 2, 1, 2, 1, 2],
      [3, 4, 3, 4, 3, 4],
    ];
    expectClose(out, [...rows[0]!, ...rows[1]!, ...rows[0]!, ...rows[1]!]);
  });

  it("repeats an int32 vector", () => {
    expectExact(run("Tile", [tensor([7, 8], [2], "int32")], { reps: [3] }, [6], "int32"), [7, 8, 7, 8, 7, 8], "int32");
  });

  it("fills with a single value, and repeats across axes of size 1", () => {
    expectClose(run("Tile", [tensor([5], [1, 1, 1])], { reps: [2, 1, 3] }, [2, 1, 3]), [5, 5, 5, 5, 5, 5]);
    const out = run("Tile", [tensor([1, 2, 3], [1, 3, 1])], { reps: [2, 1, 2] }, [2, 3, 2]);
    expectClose(out, [1, 1, 2, 2, 3, 3, 1, 1, 2, 2, 3, 3]);
  });
});

describe("cpu Gather", () => {
  it("picks rows by index, repeating and reordering", () => {
    const x = tensor([1, 2, 3, 4, 5, 6], [3, 2]);
    const idx = tensor([2, 0, 2], [3], "int32");
    expectClose(run("Gather", [x, idx], { axis: 0 }, [3, 2]), [5, 6, 1, 2, 5, 6]);
  });

  it("gathers along an inner axis with 2-D indices", () => {
    // x [2, 3, 2]; indices [2, 2] along axis 1 → out [2, 2, 2, 2]
    const xv = iota(12);
    const iv = [2, 0, 1, 1];
    const expected: number[] = [];
    for (let o = 0; o < 2; o++) for (const k of iv) for (let e = 0; e < 2; e++) expected.push(xv[o * 6 + k * 2 + e]!);
    const out = run(
      "Gather",
      [tensor(xv, [2, 3, 2], "int32"), tensor(iv, [2, 2], "int32")],
      { axis: 1 },
      [2, 2, 2, 2],
      "int32",
    );
    expectExact(out, expected, "int32");
  });

  it("rejects an index out of range", () => {
    expect(() => run("Gather", [tensor([1, 2], [2]), tensor([2], [1], "int32")], { axis: 0 }, [1])).toThrow(
      /index 2 is out of range \[0, 2\)/,
    );
  });
});

describe("cpu UnsortedSegmentSum", () => {
  it("sums rows into segments in any order and drops negative ids", () => {
    const x = tensor([1, 2, 10, 20, 100, 200, 5, 5], [4, 2]);
    const ids = tensor([2, 0, 2, -1], [4], "int32");
    expectClose(run("UnsortedSegmentSum", [x, ids], { numSegments: 3 }, [3, 2]), [10, 20, 0, 0, 101, 202]);
  });

  it("sums int32 values of a vector", () => {
    const out = run(
      "UnsortedSegmentSum",
      [tensor([1, 2, 3, 4], [4], "int32"), tensor([1, 1, 0, 1], [4], "int32")],
      { numSegments: 2 },
      [2],
      "int32",
    );
    expectExact(out, [3, 7], "int32");
  });

  it("rejects a segment id not below numSegments", () => {
    expect(() =>
      run("UnsortedSegmentSum", [tensor([1], [1]), tensor([3], [1], "int32")], { numSegments: 2 }, [2]),
    ).toThrow(/segment id 3/);
  });
});
