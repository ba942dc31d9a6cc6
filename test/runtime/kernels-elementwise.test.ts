import { describe, expect, it } from "vitest";
import { BINARY_KERNELS, UNARY_KERNELS } from "../../src/runtime/kernels.js";
import type { DType } from "../../src/runtime/backend.js";
import { forEachBackend } from "./backends.js";
import { compare, rand, runOn, tensor, tested } from "./kernel-compare.js";

const SPECIALS = [
  0,
  -0,
  0.5,
  -0.5,
  1.5,
  2.5,
  -2.5,
  1e-6,
  -1e-6,
  3.75,
  -7.25,
  20,
  -20,
  88,
  -100,
  NaN,
  Infinity,
  -Infinity,
];

/** Inputs each unary function is defined on, with an odd size so SIMD tails run. */
function unaryInput(name: string): number[] {
  const r = rand([37], "float32", -3, 3).values;
  const base = [...SPECIALS, ...r];
  if (name === "Log" || name === "Sqrt" || name === "Rsqrt") return base.map((v) => Math.abs(v));
  if (name === "Log1p") return base.map((v) => Math.abs(v) - 0.5);
  return base;
}

// Every kernel of every backend against the cpu reference (the cpu backend itself: cpu-*.test.ts).
forEachBackend(
  () => {
    describe("unary kernels", () => {
      for (const name of UNARY_KERNELS) {
        it(`${name} matches the cpu backend`, () => {
          const values = unaryInput(name);
          compare(name, [tensor(values, [values.length])], {}, { shape: [values.length], dtype: "float32" });
          // sizes 1 and 3 (no full SIMD quad), and a 2-D shape
          compare(name, [rand([1])], {}, { shape: [1], dtype: "float32" });
          compare(name, [rand([3], "float32", 0.1, 2)], {}, { shape: [3], dtype: "float32" });
          compare(name, [rand([4, 17], "float32", 0.1, 2)], {}, { shape: [4, 17], dtype: "float32" });
        });
      }

      it("runs on int32 and bool inputs with int32/bool outputs", () => {
        const ints = tensor([-5, -1, 0, 1, 2, 7, 16777215], [7], "int32");
        compare("Neg", [ints], {}, { shape: [7], dtype: "int32" });
        compare("Abs", [ints], {}, { shape: [7], dtype: "int32" });
        compare("Square", [tensor([-4, 3, 4095], [3], "int32")], {}, { shape: [3], dtype: "int32" });
        compare("Sign", [ints], {}, { shape: [7], dtype: "int32" });
        compare("LogicalNot", [tensor([1, 0, 1, 1, 0], [5], "bool")], {}, { shape: [5], dtype: "bool" });
        compare("IsNaN", [tensor([1, NaN, 0], [3])], {}, { shape: [3], dtype: "bool" });
      });

      it("rounds half-way cases to even like the cpu backend", () => {
        const got = runOn(
          tested(),
          "Round",
          [tensor([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4, -2.6], [8])],
          {},
          { shape: [8], dtype: "float32" },
        );
        expect(Array.from(got)).toEqual([0, 2, 2, -0, -2, -2, 2, -3]);
      });
    });

    const BROADCASTS: [number[], number[], number[]][] = [
      [[5], [5], [5]],
      [[1], [1], [1]],
      [[17], [1], [17]],
      [[], [6], [6]],
      [
        [3, 1],
        [1, 4],
        [3, 4],
      ],
      [
        [2, 3, 5],
        [3, 1],
        [2, 3, 5],
      ],
      [
        [2, 1, 3],
        [2, 4, 3],
        [2, 4, 3],
      ],
      [
        [4, 1, 1, 3],
        [1, 5, 7, 1],
        [4, 5, 7, 3],
      ],
      [
        [2, 1, 3, 1, 5],
        [3, 4, 1],
        [2, 1, 3, 4, 5],
      ],
      [[7, 9], [9], [7, 9]],
    ];

    describe("binary kernels", () => {
      for (const name of BINARY_KERNELS) {
        const logical = name === "LogicalAnd" || name === "LogicalOr";
        const compares = ["Equal", "NotEqual", "Less", "LessEqual", "Greater", "GreaterEqual"].includes(name);
        const outDtype: DType = logical || compares ? "bool" : "float32";
        it(`${name} broadcasts like the cpu backend`, () => {
          for (const [sa, sb, so] of BROADCASTS) {
            const inDtype: DType = logical ? "bool" : "float32";
            const a = name === "Pow" ? rand(sa, inDtype, 0.1, 3) : rand(sa, inDtype);
            const b = rand(sb, inDtype, name === "Pow" ? -2 : 0.25, name === "Pow" ? 3 : 2);
            compare(name, [a, b], {}, { shape: so, dtype: outDtype });
            compare(name, [b, a], {}, { shape: so, dtype: outDtype });
          }
        });
      }

      it("handles special float values", () => {
        const a = tensor([0, 1, -1, NaN, Infinity, -Infinity, 3, -3, 5.5, -5.5], [10]);
        const b = tensor([0, 0, 2, 1, Infinity, 2, -2, 2, 0.5, 1.5], [10]);
        for (const name of [
          "Add",
          "Sub",
          "Mul",
          "Div",
          "Pow",
          "Maximum",
          "Minimum",
          "Mod",
          "FloorDiv",
          "Atan2",
        ] as const) {
          compare(name, [a, b], {}, { shape: [10], dtype: "float32" });
        }
        compare("Equal", [a, b], {}, { shape: [10], dtype: "bool" });
        compare("Less", [a, b], {}, { shape: [10], dtype: "bool" });
      });

      it("is exact on int32 operands below 2^24", () => {
        // every operand and result below 2^24 in magnitude
        const a = tensor([7, -7, 7, -7, 0, 8388607, -8388607, 4095, 9, 1], [10], "int32");
        const b = tensor([2, 2, -2, -2, 3, 1, -1, 4096, 3, 4000], [10], "int32");
        for (const name of ["Add", "Sub", "Mul", "Div", "Mod", "FloorDiv", "Maximum", "Minimum"] as const) {
          const got = compare(name, [a, b], {}, { shape: [10], dtype: "int32" }, 0);
          expect(got).toBeInstanceOf(Int32Array);
        }
        compare("Equal", [a, b], {}, { shape: [10], dtype: "bool" }, 0);
        const big = rand([3, 41], "int32", -4000, 4000);
        const small = rand([41], "int32", 1, 50);
        compare("FloorDiv", [big, small], {}, { shape: [3, 41], dtype: "int32" }, 0);
        compare("Mod", [big, small], {}, { shape: [3, 41], dtype: "int32" }, 0);
        compare("Mul", [big, small], {}, { shape: [3, 41], dtype: "int32" }, 0);
      });
    });

    describe("Select and Cast", () => {
      it("Select broadcasts condition and branches", () => {
        const cases: [number[], number[], number[], number[]][] = [
          [[6], [6], [6], [6]],
          [
            [3, 1],
            [1, 5],
            [3, 5],
            [3, 5],
          ],
          [[], [2, 3], [3], [2, 3]],
          [[2, 1, 4], [4], [2, 3, 1], [2, 3, 4]],
        ];
        for (const [sc, sa, sb, so] of cases) {
          compare("Select", [rand(sc, "bool"), rand(sa), rand(sb)], {}, { shape: so, dtype: "float32" });
          compare(
            "Select",
            [rand(sc, "bool"), rand(sa, "int32", -9, 9), rand(sb, "int32", -9, 9)],
            {},
            { shape: so, dtype: "int32" },
          );
        }
      });

      it("Cast converts between every pair of dtypes", () => {
        const floats = tensor([0, -0.5, 0.5, 1.9, -1.9, 2.5, NaN, 1e6 + 0.5, -3, 7], [10]);
        const ints = tensor([0, -1, 1, 2, -16777216, 16777216, 5, 0, 3], [9], "int32");
        const bools = tensor([0, 1, 1, 0, 1], [5], "bool");
        for (const x of [floats, ints, bools]) {
          for (const dtype of ["float32", "int32", "bool"] as const) {
            compare("Cast", [x], { dtype }, { shape: x.shape, dtype }, 0);
          }
        }
      });
    });

    describe("dense-layer activations", () => {
      // Rows of 7 and 8 (vector loops with and without a tail), special values in x and y.
      const specials = (shape: number[]) => {
        const t = rand(shape, "float32", -3, 3);
        SPECIALS.forEach((v, i) => {
          t.values[(i * 5) % t.values.length] = v;
        });
        return t;
      };

      it("BiasActivation adds the bias along the last axis and applies each activation", () => {
        for (const c of [7, 8, 1]) {
          for (const activation of ["linear", "relu", "sigmoid", "tanh"] as const) {
            const x = specials([6, c]);
            compare("BiasActivation", [x, rand([c])], { activation }, { shape: [6, c], dtype: "float32" });
          }
        }
      });

      it("ActivationGrad takes each activation's derivative from its output", () => {
        for (const n of [37, 40]) {
          for (const activation of ["relu", "sigmoid", "tanh"] as const) {
            const y = specials([n]);
            compare("ActivationGrad", [y, specials([n])], { activation }, { shape: [n], dtype: "float32" });
          }
        }
      });
    });

    describe("Adam's update", () => {
      // 37 weights: vector loops with a tail, and second moments that start unaligned.
      it("AdamMoments and AdamStep match the cpu backend", () => {
        for (const n of [37, 40]) {
          const moments = rand([2, n], "float32", 0, 1);
          compare(
            "AdamMoments",
            [moments, rand([n])],
            { beta1: 0.9, beta2: 0.999 },
            { shape: [2, n], dtype: "float32" },
          );
          const attrs = { learningRate: 0.01, beta1Power: 0.9 ** 3, beta2Power: 0.999 ** 3, epsilon: 1e-7 };
          compare("AdamStep", [rand([n]), moments], attrs, { shape: [n], dtype: "float32" });
        }
      });
    });
  },
  { except: ["cpu"] },
);
