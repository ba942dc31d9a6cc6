import { describe, expect, it } from "vitest";
import { REDUCE_KERNELS } from "../../src/runtime/kernels.js";
import type { DType } from "../../src/runtime/backend.js";
import { forEachBackend } from "./backends.js";
import { compare, rand, runOn, tensor, tested } from "./kernel-compare.js";

// Every kernel of every backend against the cpu reference (the cpu backend itself: cpu-*.test.ts).
forEachBackend(
  () => {
    describe("reductions", () => {
      const shapes: [number, number][] = [
        [1, 1],
        [1, 3],
        [5, 17],
        [3, 64],
        [2, 200],
        [9, 4],
        [1, 1000],
      ];
      for (const name of REDUCE_KERNELS) {
        const logical = name === "Any" || name === "All";
        const arg = name === "ArgMax" || name === "ArgMin";
        const inDtype: DType = logical ? "bool" : "float32";
        const outDtype: DType = logical ? "bool" : arg ? "int32" : "float32";
        it(`${name} matches the cpu backend over odd row sizes`, () => {
          for (const [outer, n] of shapes) {
            // products of many terms stay finite when factors are near 1
            const x = name === "Prod" ? rand([outer, n], inDtype, 0.9, 1.1) : rand([outer, n], inDtype, -10, 10);
            compare(name, [x], { reduceSize: n }, { shape: [outer], dtype: outDtype }, name === "Sum" ? 10 : 1);
          }
        });
      }

      it("reduces empty rows to each reduction's identity", () => {
        for (const name of REDUCE_KERNELS) {
          const logical = name === "Any" || name === "All";
          const dtype: DType = logical ? "bool" : name.startsWith("Arg") ? "int32" : "float32";
          compare(name, [rand([3, 0], logical ? "bool" : "float32")], { reduceSize: 0 }, { shape: [3], dtype }, 0);
        }
      });

      it("treats NaN like the cpu backend", () => {
        const x = tensor([1, NaN, 3, NaN, NaN, NaN, 2, 5, NaN], [3, 3]);
        for (const name of ["Sum", "Max", "Min", "ArgMax", "ArgMin"] as const) {
          const dtype: DType = name.startsWith("Arg") ? "int32" : "float32";
          compare(name, [x], { reduceSize: 3 }, { shape: [3], dtype });
        }
      });

      it("sums int32 rows exactly and keeps ties on the first index", () => {
        const x = rand([4, 33], "int32", -1000, 1000);
        compare("Sum", [x], { reduceSize: 33 }, { shape: [4], dtype: "int32" }, 0);
        compare("Max", [x], { reduceSize: 33 }, { shape: [4], dtype: "int32" }, 0);
        const ties = tensor([1, 3, 3, 0, 0, 0], [2, 3]);
        expect(
          Array.from(runOn(tested(), "ArgMax", [ties], { reduceSize: 3 }, { shape: [2], dtype: "int32" })),
        ).toEqual([1, 0]);
      });

      it("keeps float32 sums of many terms accurate", () => {
        // 0.1 summed 100000 times: a plain float32 running sum drifts by ~1%.
        const n = 100_000;
        const x = tensor(new Array(n).fill(0.1), [1, n]);
        const [got] = runOn(tested(), "Sum", [x], { reduceSize: n }, { shape: [1], dtype: "float32" });
        expect(Math.abs(got! - 10000) / 10000).toBeLessThan(1e-5);
      });
    });

    describe("layout kernels", () => {
      it("Transpose permutes ranks 1 to 5", () => {
        const cases: [number[], number[]][] = [
          [[7], [0]],
          [
            [3, 5],
            [1, 0],
          ],
          [
            [1, 4],
            [1, 0],
          ],
          [
            [2, 3, 4],
            [2, 0, 1],
          ],
          [
            [2, 3, 4],
            [1, 2, 0],
          ],
          [
            [3, 1, 5, 2],
            [3, 2, 1, 0],
          ],
          [
            [2, 3, 1, 4, 3],
            [4, 1, 3, 0, 2],
          ],
        ];
        for (const [shape, perm] of cases) {
          const out = perm.map((p) => shape[p]!);
          compare("Transpose", [rand(shape)], { perm }, { shape: out, dtype: "float32" }, 0);
          compare("Transpose", [rand(shape, "int32", -50, 50)], { perm }, { shape: out, dtype: "int32" }, 0);
        }
      });

      it("Slice takes contiguous blocks", () => {
        const x = rand([4, 5, 6]);
        compare("Slice", [x], { begin: [1, 0, 2], size: [2, 5, 3] }, { shape: [2, 5, 3], dtype: "float32" }, 0);
        compare("Slice", [x], { begin: [3, 4, 5], size: [1, 1, 1] }, { shape: [1, 1, 1], dtype: "float32" }, 0);
        compare("Slice", [rand([17], "bool")], { begin: [3], size: [11] }, { shape: [11], dtype: "bool" }, 0);
      });

      it("Concat joins any number of inputs along any axis", () => {
        compare("Concat", [rand([2, 3]), rand([2, 5])], { axis: 1 }, { shape: [2, 8], dtype: "float32" }, 0);
        compare(
          "Concat",
          [rand([1, 3]), rand([4, 3]), rand([2, 3])],
          { axis: 0 },
          { shape: [7, 3], dtype: "float32" },
          0,
        );
        compare(
          "Concat",
          [rand([2, 1, 3], "int32", 0, 9), rand([2, 0, 3], "int32"), rand([2, 4, 3], "int32", 0, 9)],
          { axis: 1 },
          { shape: [2, 5, 3], dtype: "int32" },
          0,
        );
        compare("Concat", [rand([5])], { axis: 0 }, { shape: [5], dtype: "float32" }, 0);
        const many = Array.from({ length: 40 }, (_, k) => rand([2, 1 + (k % 3), 3]));
        const width = many.reduce((w, t) => w + t.shape[1]!, 0);
        compare("Concat", many, { axis: 1 }, { shape: [2, width, 3], dtype: "float32" }, 0);
      });

      it("Pad fills with the constant on every side", () => {
        compare(
          "Pad",
          [rand([3, 4])],
          {
            paddings: [
              [1, 2],
              [0, 3],
            ],
            constantValue: 0,
          },
          { shape: [6, 7], dtype: "float32" },
          0,
        );
        compare(
          "Pad",
          [rand([2, 3, 1])],
          {
            paddings: [
              [0, 0],
              [2, 1],
              [1, 1],
            ],
            constantValue: -1.5,
          },
          { shape: [2, 6, 3], dtype: "float32" },
          0,
        );
        compare(
          "Pad",
          [rand([3], "int32", 0, 5)],
          { paddings: [[2, 0]], constantValue: 7 },
          { shape: [5], dtype: "int32" },
          0,
        );
      });

      it("Reverse flips the given axes", () => {
        const x = rand([3, 4, 5]);
        for (const axes of [[0], [1], [2], [0, 2], [0, 1, 2], []]) {
          compare("Reverse", [x], { axes }, { shape: [3, 4, 5], dtype: "float32" }, 0);
        }
      });

      it("Tile repeats along each axis", () => {
        compare("Tile", [rand([2, 3])], { reps: [3, 2] }, { shape: [6, 6], dtype: "float32" }, 0);
        compare("Tile", [rand([1, 3, 1])], { reps: [2, 1, 5] }, { shape: [2, 3, 5], dtype: "float32" }, 0);
        compare("Tile", [rand([7], "bool")], { reps: [3] }, { shape: [21], dtype: "bool" }, 0);
      });

      it("Gather picks slices by int32 indices on any axis", () => {
        const x = rand([5, 4, 3]);
        compare(
          "Gather",
          [x, tensor([4, 0, 2, 2], [4], "int32")],
          { axis: 0 },
          { shape: [4, 4, 3], dtype: "float32" },
          0,
        );
        compare(
          "Gather",
          [x, tensor([3, 1, 0, 1, 2, 3], [2, 3], "int32")],
          { axis: 1 },
          { shape: [5, 2, 3, 3], dtype: "float32" },
          0,
        );
        compare("Gather", [x, tensor([2], [1], "int32")], { axis: 2 }, { shape: [5, 4, 1], dtype: "float32" }, 0);
        compare(
          "Gather",
          [rand([6], "int32", 0, 100), tensor([5, 0], [2], "int32")],
          { axis: 0 },
          { shape: [2], dtype: "int32" },
          0,
        );
      });

      it("Gather rejects out-of-range indices", () => {
        expect(() =>
          runOn(
            tested(),
            "Gather",
            [rand([3, 2]), tensor([3], [1], "int32")],
            { axis: 0 },
            { shape: [1, 2], dtype: "float32" },
          ),
        ).toThrow(/out of range/);
      });

      it("UnsortedSegmentSum adds rows into their segments", () => {
        const ids = tensor([2, 0, 2, -1, 1, 0, 2], [7], "int32");
        compare(
          "UnsortedSegmentSum",
          [rand([7, 3, 2]), ids],
          { numSegments: 4 },
          { shape: [4, 3, 2], dtype: "float32" },
        );
        compare(
          "UnsortedSegmentSum",
          [rand([7], "int32", -9, 9), ids],
          { numSegments: 3 },
          { shape: [3], dtype: "int32" },
          0,
        );
        expect(() =>
          runOn(
            tested(),
            "UnsortedSegmentSum",
            [rand([2]), tensor([0, 5], [2], "int32")],
            { numSegments: 3 },
            { shape: [3], dtype: "float32" },
          ),
        ).toThrow(/not below numSegments/);
      });
    });
  },
  { except: ["cpu"] },
);
