import { describe, it } from "vitest";
import { forEachBackend } from "./backends.js";
import { bools, expectSame, expectSameError, floats, ints, type HostTensor } from "./kernel-compare.js";

const GENERATORS: [string, (s: number[]) => HostTensor][] = [
  ["float32", floats],
  ["int32", ints],
  ["bool", bools],
];

function permutations(rank: number): number[][] {
  if (rank === 0) return [[]];
  return permutations(rank - 1).flatMap((p) =>
    Array.from({ length: rank }, (_, i) => [...p.slice(0, i), rank - 1, ...p.slice(i)]),
  );
}

// The native kernels against the cpu reference, beyond the cases every backend runs (kernels-*.test.ts).
forEachBackend(
  () => {
    describe("native layout kernels match cpu", () => {
      for (const [dtype, gen] of GENERATORS) {
        it(`Transpose (${dtype}): every permutation up to rank 4, and a rank-6 one`, () => {
          const shapes = [[], [5], [3, 4], [2, 3, 5], [2, 1, 3, 4]];
          for (const shape of shapes) {
            for (const perm of permutations(shape.length)) {
              expectSame(
                "Transpose",
                [gen(shape)],
                { perm },
                { shape: perm.map((a) => shape[a]!), dtype: gen([1]).dtype },
              );
            }
          }
          // Larger than one 32×32 tile of the blocked transpose, with ragged edges.
          expectSame("Transpose", [gen([70, 45])], { perm: [1, 0] }, { shape: [45, 70], dtype: gen([1]).dtype });
          expectSame(
            "Transpose",
            [gen([3, 40, 33])],
            { perm: [0, 2, 1] },
            { shape: [3, 33, 40], dtype: gen([1]).dtype },
          );
          expectSame(
            "Transpose",
            [gen([4, 9, 9, 35])],
            { perm: [3, 0, 1, 2] },
            { shape: [35, 4, 9, 9], dtype: gen([1]).dtype },
          );
          const shape = [2, 3, 1, 2, 3, 2];
          const perm = [5, 3, 0, 4, 2, 1];
          expectSame("Transpose", [gen(shape)], { perm }, { shape: perm.map((a) => shape[a]!), dtype: gen([1]).dtype });
        });

        it(`Slice, Reverse, Pad and Tile (${dtype})`, () => {
          const d = gen([1]).dtype;
          const x = gen([4, 5, 6]);
          expectSame("Slice", [x], { begin: [1, 0, 2], size: [2, 5, 3] }, { shape: [2, 5, 3], dtype: d });
          expectSame("Slice", [x], { begin: [3, 4, 5], size: [1, 1, 1] }, { shape: [1, 1, 1], dtype: d });
          expectSame("Slice", [x], { begin: [0, 2, 0], size: [4, 0, 6] }, { shape: [4, 0, 6], dtype: d });
          for (const axes of [[0], [1], [2], [0, 2], [0, 1, 2], []])
            expectSame("Reverse", [x], { axes }, { shape: [4, 5, 6], dtype: d });
          expectSame(
            "Pad",
            [x],
            {
              paddings: [
                [1, 0],
                [0, 2],
                [3, 1],
              ],
              constantValue: 0,
            },
            { shape: [5, 7, 10], dtype: d },
          );
          expectSame(
            "Pad",
            [x],
            {
              paddings: [
                [0, 0],
                [1, 1],
                [0, 0],
              ],
              constantValue: d === "bool" ? 1 : -2.5,
            },
            { shape: [4, 7, 6], dtype: d },
          );
          expectSame("Tile", [gen([2, 3])], { reps: [3, 2] }, { shape: [6, 6], dtype: d });
          expectSame("Tile", [gen([1, 3, 1])], { reps: [2, 1, 4] }, { shape: [2, 3, 4], dtype: d });
          expectSame("Tile", [gen([5])], { reps: [1] }, { shape: [5], dtype: d });
        });

        it(`Concat along every axis (${dtype})`, () => {
          const d = gen([1]).dtype;
          expectSame(
            "Concat",
            [gen([2, 3, 4]), gen([2, 1, 4]), gen([2, 5, 4])],
            { axis: 1 },
            { shape: [2, 9, 4], dtype: d },
          );
          expectSame("Concat", [gen([2, 3, 4]), gen([3, 3, 4])], { axis: 0 }, { shape: [5, 3, 4], dtype: d });
          expectSame(
            "Concat",
            [gen([2, 3, 1]), gen([2, 3, 2]), gen([2, 3, 0])],
            { axis: 2 },
            { shape: [2, 3, 3], dtype: d },
          );
          expectSame("Concat", [gen([7])], { axis: 0 }, { shape: [7], dtype: d });
        });
      }

      it("Gather along each axis of float32 and int32 data; bad indices throw like cpu", () => {
        for (const gen of [floats, ints]) {
          const x = gen([4, 5, 3]);
          const d = x.dtype;
          const idx = (n: number, hi: number): HostTensor => ints([n], 0, hi - 1);
          expectSame("Gather", [x, idx(7, 4)], { axis: 0 }, { shape: [7, 5, 3], dtype: d });
          expectSame("Gather", [x, idx(2, 5)], { axis: 1 }, { shape: [4, 2, 3], dtype: d });
          expectSame("Gather", [x, { ...idx(6, 3), shape: [2, 3] }], { axis: 2 }, { shape: [4, 5, 2, 3], dtype: d });
          expectSame("Gather", [x, idx(0, 4)], { axis: 0 }, { shape: [0, 5, 3], dtype: d });
        }
        const bad: HostTensor = { values: Int32Array.of(0, 4), shape: [2], dtype: "int32" };
        expectSameError("Gather", [floats([4, 2]), bad], { axis: 0 }, { shape: [2, 2], dtype: "float32" });
        expectSame(
          "Gather",
          [bools([4, 2]), { values: Int32Array.of(3, 0, 3), shape: [3], dtype: "int32" }],
          { axis: 0 },
          { shape: [3, 2], dtype: "bool" },
        );
      });

      it("UnsortedSegmentSum with repeated, missing and negative ids", () => {
        const ids: HostTensor = { values: Int32Array.of(2, 0, 2, -1, 4, 0), shape: [6], dtype: "int32" };
        expectSame(
          "UnsortedSegmentSum",
          [floats([6, 3, 2]), ids],
          { numSegments: 5 },
          { shape: [5, 3, 2], dtype: "float32" },
        );
        expectSame("UnsortedSegmentSum", [floats([6]), ids], { numSegments: 6 }, { shape: [6], dtype: "float32" });
        expectSame("UnsortedSegmentSum", [ints([6, 2]), ids], { numSegments: 5 }, { shape: [5, 2], dtype: "int32" });
        expectSameError(
          "UnsortedSegmentSum",
          [floats([6, 2]), ids],
          { numSegments: 4 },
          { shape: [4, 2], dtype: "float32" },
        );
      });

      it("rejects a Slice beyond the input like cpu", () => {
        expectSameError(
          "Slice",
          [floats([3, 3])],
          { begin: [2, 0], size: [2, 3] },
          { shape: [2, 3], dtype: "float32" },
        );
      });
    });
  },
  { only: ["native"] },
);
