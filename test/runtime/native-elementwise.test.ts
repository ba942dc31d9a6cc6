import { describe, it } from "vitest";
import { BINARY_KERNELS, REDUCE_KERNELS, UNARY_KERNELS } from "../../src/runtime/kernels.js";
import type { DType } from "../../src/runtime/backend.js";
import { forEachBackend } from "./backends.js";
import { bools, expectSame, floats, intFloats, ints, type HostTensor } from "./kernel-compare.js";

const SPECIALS = Float32Array.of(
  0,
  -0,
  1,
  -1,
  0.5,
  -0.5,
  1.5,
  2.5,
  -2.5,
  1e-8,
  -1e-8,
  30,
  -30,
  100,
  -100,
  Infinity,
  -Infinity,
  NaN,
);
const POSITIVE_ONLY = new Set(["Log", "Sqrt", "Rsqrt", "Log1p"]);
const COMPARE = new Set(["Equal", "NotEqual", "Less", "LessEqual", "Greater", "GreaterEqual"]);

const BROADCASTS: [number[], number[]][] = [
  [
    [2, 3, 5],
    [2, 3, 5],
  ],
  [[3, 4, 5], [5]],
  [[5], [3, 4, 5]],
  [
    [3, 1, 5],
    [1, 4, 1],
  ],
  [[4, 1], [3]],
  [[7], [1]],
  [[1], [2, 3]],
  [[], [3, 2]],
  [
    [2, 1, 3, 1, 2],
    [1, 4, 1, 3, 1],
  ],
  [[0, 3], [3]],
];

// The native kernels against the cpu reference, beyond the cases every backend runs (kernels-*.test.ts).
forEachBackend(
  () => {
    describe("native unary kernels match cpu", () => {
      for (const name of UNARY_KERNELS) {
        if (name === "LogicalNot") continue;
        const out = (shape: number[]): { shape: number[]; dtype: DType } => ({
          shape,
          dtype: name === "IsNaN" ? "bool" : "float32",
        });
        it(`${name} on float32 (random and special values)`, () => {
          const lo = POSITIVE_ONLY.has(name) ? 0.01 : -4;
          expectSame(name, [floats([3, 17], lo, 4)], {}, out([3, 17]));
          expectSame(
            name,
            [{ values: SPECIALS.slice(), shape: [SPECIALS.length], dtype: "float32" }],
            {},
            out([SPECIALS.length]),
          );
          expectSame(name, [floats([0, 4])], {}, out([0, 4]));
        });
      }
      it("Neg, Abs, Square and Sign on int32 and LogicalNot on bool (cpu loops on the shared store)", () => {
        for (const name of ["Neg", "Abs", "Square", "Sign"] as const)
          expectSame(name, [ints([11])], {}, { shape: [11], dtype: "int32" });
        expectSame("LogicalNot", [bools([9])], {}, { shape: [9], dtype: "bool" });
      });
    });

    describe("native binary kernels match cpu (broadcasting)", () => {
      for (const name of BINARY_KERNELS) {
        if (name === "LogicalAnd" || name === "LogicalOr") continue;
        it(`${name} on float32`, () => {
          for (const [sa, sb] of BROADCASTS) {
            const shape = broadcast(sa, sb);
            const dtype: DType = COMPARE.has(name) ? "bool" : "float32";
            // Integer-valued floats make equal elements (and exact Mod/FloorDiv cases) common.
            const gen = (s: number[]): HostTensor =>
              COMPARE.has(name) || name === "Mod" || name === "FloorDiv" ? intFloats(s) : floats(s);
            let a = gen(sa);
            const b = gen(sb);
            if (name === "Pow") a = floats(sa, 0.1, 3);
            expectSame(name, [a, b], {}, { shape, dtype });
          }
        });
      }
      it("NaN and infinities flow through Add, Maximum, Minimum and comparisons", () => {
        const a: HostTensor = {
          values: Float32Array.of(NaN, 1, Infinity, -Infinity, 0, NaN),
          shape: [6],
          dtype: "float32",
        };
        const b: HostTensor = {
          values: Float32Array.of(1, NaN, -Infinity, -Infinity, -0, NaN),
          shape: [6],
          dtype: "float32",
        };
        for (const name of ["Add", "Sub", "Maximum", "Minimum", "Div"] as const)
          expectSame(name, [a, b], {}, { shape: [6], dtype: "float32" });
        for (const name of ["Equal", "NotEqual", "Less", "GreaterEqual"] as const)
          expectSame(name, [a, b], {}, { shape: [6], dtype: "bool" });
      });
      it("int32 arithmetic and bool logic keep the cpu semantics", () => {
        for (const name of ["Add", "Sub", "Mul", "Div", "FloorDiv", "Mod", "Maximum"] as const) {
          const b = ints([4], 1, 6);
          expectSame(name, [ints([3, 4]), b], {}, { shape: [3, 4], dtype: "int32" });
        }
        expectSame("Less", [ints([3, 4]), ints([4])], {}, { shape: [3, 4], dtype: "bool" });
        expectSame("LogicalAnd", [bools([2, 5]), bools([5])], {}, { shape: [2, 5], dtype: "bool" });
        expectSame("LogicalOr", [bools([2, 5]), bools([2, 1])], {}, { shape: [2, 5], dtype: "bool" });
      });
    });

    describe("native Select, reductions and Cast match cpu", () => {
      it("Select broadcasts cond, a and b for float32, int32 and bool", () => {
        expectSame("Select", [bools([3, 4]), floats([3, 4]), floats([3, 4])], {}, { shape: [3, 4], dtype: "float32" });
        expectSame("Select", [bools([4]), floats([3, 1]), floats([1])], {}, { shape: [3, 4], dtype: "float32" });
        expectSame(
          "Select",
          [bools([2, 1, 3]), ints([5, 1]), ints([2, 5, 3])],
          {},
          { shape: [2, 5, 3], dtype: "int32" },
        );
        expectSame("Select", [bools([6]), bools([6]), bools([1])], {}, { shape: [6], dtype: "bool" });
      });
      for (const name of REDUCE_KERNELS) {
        if (name === "Any" || name === "All") continue;
        it(`${name} over rows of odd lengths`, () => {
          const dtype: DType = name === "ArgMax" || name === "ArgMin" ? "int32" : "float32";
          for (const [outer, size] of [
            [1, 1],
            [5, 7],
            [3, 1000],
            [64, 10],
            [2, 0],
            [0, 3],
          ] as const) {
            const x = name.startsWith("Arg")
              ? intFloats([outer, size])
              : floats([outer, size], name === "Prod" ? 0.5 : -2, name === "Prod" ? 1.5 : 2);
            expectSame(name, [x], { reduceSize: size }, { shape: [outer], dtype });
          }
          const withNaN: HostTensor = {
            values: Float32Array.of(1, NaN, 3, NaN, NaN, NaN, -1, 5, 5),
            shape: [3, 3],
            dtype: "float32",
          };
          expectSame(name, [withNaN], { reduceSize: 3 }, { shape: [3], dtype });
        });
      }
      it("Any and All on bool, Sum on int32 (cpu loops)", () => {
        expectSame("Any", [bools([4, 5])], { reduceSize: 5 }, { shape: [4], dtype: "bool" });
        expectSame("All", [bools([4, 2])], { reduceSize: 2 }, { shape: [4], dtype: "bool" });
        expectSame("Sum", [ints([3, 6])], { reduceSize: 6 }, { shape: [3], dtype: "int32" });
      });
      it("Cast between every pair of dtypes", () => {
        const sources: HostTensor[] = [
          {
            values: Float32Array.of(0, -0, 1.7, -1.7, 2.5, -2.5, NaN, Infinity, -Infinity, 3e9, -3e9, 1e-30),
            shape: [12],
            dtype: "float32",
          },
          ints([12], -1000, 1000),
          bools([12]),
        ];
        for (const x of sources) {
          for (const dtype of ["float32", "int32", "bool"] as const)
            expectSame("Cast", [x], { dtype }, { shape: [12], dtype });
        }
      });
    });

    function broadcast(a: number[], b: number[]): number[] {
      const rank = Math.max(a.length, b.length);
      const out: number[] = [];
      for (let i = 0; i < rank; i++) {
        const da = a[a.length - rank + i] ?? 1;
        const db = b[b.length - rank + i] ?? 1;
        out.push(da === 1 ? db : da);
      }
      return out;
    }
  },
  { only: ["native"] },
);
