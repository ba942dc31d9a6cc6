import { describe, expect, it } from "vitest";
import type { DType } from "../../src/runtime/backend.js";
import type { BinaryKernelName, UnaryKernelName } from "../../src/runtime/kernels.js";
import { cpu, expectClose, expectExact, expectValues, run, tensor } from "./cpu-helpers.js";

interface UnaryCase {
  x: number[];
  expected: number[];
  dtype?: DType;
  outDtype?: DType;
}

const { PI, E, LN2 } = Math;

const unaryCases: Record<UnaryKernelName, UnaryCase> = {
  Neg: { x: [1.5, -2, 0], expected: [-1.5, 2, -0] },
  Abs: { x: [-3, 2.5, 0], expected: [3, 2.5, 0] },
  Exp: { x: [0, 1, -1, -200], expected: [1, E, 1 / E, 0] },
  Expm1: { x: [0, 1e-10, 1], expected: [0, 1e-10, E - 1] },
  Log: { x: [1, E, 0, -1], expected: [0, 1, -Infinity, NaN] },
  Log1p: { x: [0, 1e-10, E - 1], expected: [0, 1e-10, 1] },
  Sqrt: { x: [4, 0, 2.25, -1], expected: [2, 0, 1.5, NaN] },
  Rsqrt: { x: [4, 0.25, 0], expected: [0.5, 2, Infinity] },
  Square: { x: [-3, 0.5, 0], expected: [9, 0.25, 0] },
  Reciprocal: { x: [4, -0.5, 0], expected: [0.25, -2, Infinity] },
  Sign: { x: [-2, 0, 3.5, NaN, -0], expected: [-1, 0, 1, NaN, -0] },
  Floor: { x: [1.5, -1.5, 2, -0.2], expected: [1, -2, 2, -1] },
  Ceil: { x: [1.5, -1.5, 2, 0.2], expected: [2, -1, 2, 1] },
  Round: {
    x: [0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4, 2.6, -2.6, 3, Infinity],
    expected: [0, 2, 2, -0, -2, -2, 2, 3, -3, 3, Infinity],
  },
  Sin: { x: [0, PI / 2, PI / 6, -PI / 2], expected: [0, 1, 0.5, -1] },
  Cos: { x: [0, PI, PI / 3], expected: [1, -1, 0.5] },
  Sigmoid: { x: [0, 1000, -1000, Math.log(3), -Math.log(3)], expected: [0.5, 1, 0, 0.75, 0.25] },
  Tanh: { x: [0, 100, -100, LN2], expected: [0, 1, -1, 0.6] },
  Relu: { x: [-1, 0, 2.5, NaN], expected: [0, 0, 2.5, NaN] },
  Softplus: { x: [0, 1000, -1000, Math.log(3)], expected: [LN2, 1000, 0, Math.log(4)] },
  LogicalNot: { x: [0, 1, 1], expected: [1, 0, 0], dtype: "bool", outDtype: "bool" },
  IsNaN: { x: [NaN, 1, Infinity, 0], expected: [1, 0, 0, 0], outDtype: "bool" },
  Erf: { x: [0, -0, 1e-30], expected: [0, -0, 1e-30 * (2 / Math.sqrt(PI))] },
};

describe("cpu unary kernels", () => {
  for (const [name, c] of Object.entries(unaryCases) as [UnaryKernelName, UnaryCase][]) {
    it(`${name} on ${c.dtype ?? "float32"}`, () => {
      const outDtype = c.outDtype ?? c.dtype ?? "float32";
      const out = run(name, [tensor(c.x, [c.x.length], c.dtype)], {}, [c.x.length], outDtype);
      expectValues(out, c.expected, outDtype);
      if (outDtype === "float32") {
        // Signed zeros matter for Neg/Round (TF keeps them); Object.is tells -0 from 0.
        c.expected.forEach((e, i) => {
          if (e === 0) expect(Object.is(out[i], e), `${name} element ${i} sign of zero`).toBe(true);
        });
      }
    });
  }

  it("keeps int32 results in an Int32Array", () => {
    const x = tensor([-3, 0, 7], [3], "int32");
    expectExact(run("Neg", [x], {}, [3], "int32"), [3, 0, -7], "int32");
    expectExact(run("Abs", [x], {}, [3], "int32"), [3, 0, 7], "int32");
    expectExact(run("Square", [x], {}, [3], "int32"), [9, 0, 49], "int32");
    expectExact(run("Sign", [x], {}, [3], "int32"), [-1, 0, 1], "int32");
  });

  it("Erf matches a numerical integral of 2/sqrt(pi)·exp(-t²) to float32 precision", () => {
    const xs = [1e-4, 0.01, 0.1, 0.5, 1, 1.5, 2, 2.49, 2.51, 3, 4, 5.5, 7];
    const simpson = (x: number): number => {
      const steps = 2000;
      const h = x / steps;
      let sum = 0;
      for (let i = 0; i <= steps; i++) {
        const w = i === 0 || i === steps ? 1 : i % 2 === 1 ? 4 : 2;
        sum += w * Math.exp(-((i * h) ** 2));
      }
      return ((sum * h) / 3) * (2 / Math.sqrt(PI));
    };
    const x = [...xs, ...xs.map((v) => -v)];
    const expected = x.map((v) => Math.sign(v) * simpson(Math.abs(v)));
    // The inputs themselves are rounded to float32: integrate at the rounded points.
    const rounded = Array.from(new Float32Array(x));
    const expectedAtRounded = rounded.map((v) => Math.sign(v) * simpson(Math.abs(v)));
    expect(expected.length).toBe(expectedAtRounded.length);
    expectClose(run("Erf", [tensor(x, [x.length])], {}, [x.length]), expectedAtRounded, 1.2e-7, 0);
  });

  it("Sigmoid and Softplus stay finite and accurate for large |x|", () => {
    const x = [-80, -30, 30, 80];
    const sig = run("Sigmoid", [tensor(x, [4])], {}, [4]);
    // sigmoid(-30) = e^-30 / (1 + e^-30): still representable, not flushed to 0.
    expectClose(sig, [Math.exp(-80), Math.exp(-30) / (1 + Math.exp(-30)), 1, 1], 1e-6, 0);
    const sp = run("Softplus", [tensor(x, [4])], {}, [4]);
    expectClose(sp, [Math.exp(-80), Math.exp(-30), 30, 80], 1e-6, 0);
  });

  it("rejects an output shape of a different size", () => {
    expect(() => run("Neg", [tensor([1, 2], [2])], {}, [3])).toThrow(/Neg: output shape \[3\]/);
  });
});

interface BinaryCase {
  a: number[];
  b: number[];
  expected: number[];
  dtype?: DType;
  outDtype?: DType;
}

const binaryCases: Record<BinaryKernelName, BinaryCase[]> = {
  Add: [
    { a: [1, 2, -3], b: [0.5, -2, 3], expected: [1.5, 0, 0] },
    { a: [2147483647, 1], b: [1, 2], expected: [-2147483648, 3], dtype: "int32" },
  ],
  Sub: [{ a: [1, 2, -3], b: [0.5, -2, 3], expected: [0.5, 4, -6] }],
  Mul: [
    { a: [1.5, -2, 0], b: [2, 3, -1], expected: [3, -6, -0] },
    { a: [6, -7], b: [7, 3], expected: [42, -21], dtype: "int32" },
  ],
  Div: [
    { a: [1, -3, 1, 0], b: [4, 2, 0, 0], expected: [0.25, -1.5, Infinity, NaN] },
    // int32 Div truncates toward zero; floor division of integers is FloorDiv.
    { a: [7, -7, 6], b: [2, 2, 3], expected: [3, -3, 2], dtype: "int32" },
  ],
  Pow: [
    { a: [2, 4, -8, 0, 3], b: [3, 0.5, 1 / 3, 0, -1], expected: [8, 2, NaN, 1, 1 / 3] },
    { a: [2, -3], b: [10, 3], expected: [1024, -27], dtype: "int32" },
  ],
  Maximum: [{ a: [1, -5, NaN], b: [2, -6, 0], expected: [2, -5, NaN] }],
  Minimum: [{ a: [1, -5, NaN], b: [2, -6, 0], expected: [1, -6, NaN] }],
  Mod: [
    { a: [-7, 7, -7, 7, 5.5, -5.5], b: [3, -3, -3, 3, 2, 2], expected: [2, -2, -1, 1, 1.5, 0.5] },
    { a: [-7, 7, -7, 7, 6], b: [3, -3, -3, 3, 3], expected: [2, -2, -1, 1, 0], dtype: "int32" },
  ],
  FloorDiv: [
    { a: [-7, 7, -7, 7, 7.5], b: [3, -3, -3, 3, 2], expected: [-3, -3, 2, 2, 3] },
    { a: [-7, 7, -7, 7], b: [3, -3, -3, 3], expected: [-3, -3, 2, 2], dtype: "int32" },
  ],
  Equal: [
    { a: [1, 2, NaN], b: [1, 3, NaN], expected: [1, 0, 0], outDtype: "bool" },
    { a: [1, 2], b: [1, 3], expected: [1, 0], dtype: "int32", outDtype: "bool" },
  ],
  NotEqual: [{ a: [1, 2, NaN], b: [1, 3, NaN], expected: [0, 1, 1], outDtype: "bool" }],
  Less: [{ a: [1, 2, 3], b: [2, 2, 2], expected: [1, 0, 0], outDtype: "bool" }],
  LessEqual: [{ a: [1, 2, 3], b: [2, 2, 2], expected: [1, 1, 0], outDtype: "bool" }],
  Greater: [{ a: [1, 2, 3], b: [2, 2, 2], expected: [0, 0, 1], outDtype: "bool" }],
  GreaterEqual: [{ a: [1, 2, 3, NaN], b: [2, 2, 2, 1], expected: [0, 1, 1, 0], outDtype: "bool" }],
  LogicalAnd: [{ a: [0, 0, 1, 1], b: [0, 1, 0, 1], expected: [0, 0, 0, 1], dtype: "bool", outDtype: "bool" }],
  LogicalOr: [{ a: [0, 0, 1, 1], b: [0, 1, 0, 1], expected: [0, 1, 1, 1], dtype: "bool", outDtype: "bool" }],
  // every quadrant, the axes (±0 included), infinities and NaN
  Atan2: [
    {
      a: [1, 1, -1, -1, 0, -0, 0, 2, -2, Infinity, 1, NaN],
      b: [1, -1, -1, 1, -1, -1, 0, 0, 0, Infinity, -Infinity, 1],
      expected: [
        Math.PI / 4,
        (3 * Math.PI) / 4,
        (-3 * Math.PI) / 4,
        -Math.PI / 4,
        Math.PI,
        -Math.PI,
        0,
        Math.PI / 2,
        -Math.PI / 2,
        Math.PI / 4,
        Math.PI,
        NaN,
      ],
    },
  ],
};

describe("cpu binary kernels", () => {
  for (const [name, cases] of Object.entries(binaryCases) as [BinaryKernelName, BinaryCase[]][]) {
    for (const c of cases) {
      const dtype = c.dtype ?? "float32";
      const outDtype = c.outDtype ?? dtype;
      it(`${name} on ${dtype} → ${outDtype}`, () => {
        const n = c.a.length;
        const out = run(name, [tensor(c.a, [n], dtype), tensor(c.b, [n], dtype)], {}, [n], outDtype);
        expectValues(out, c.expected, outDtype);
      });
    }
  }

  it("broadcasts a row vector over a matrix", () => {
    const a = tensor([1, 2, 3, 4, 5, 6], [2, 3]);
    const b = tensor([10, 20, 30], [3]);
    expectClose(run("Add", [a, b], {}, [2, 3]), [11, 22, 33, 14, 25, 36]);
    expectClose(run("Sub", [b, a], {}, [2, 3]), [9, 18, 27, 6, 15, 24]);
  });

  it("repeats a trailing block of several axes over the leading axes", () => {
    // a [2, 3, 2] minus b [1, 3, 2]: out[i, j, k] = a[i, j, k] - b[0, j, k]
    const av = Array.from({ length: 12 }, (_, i) => i * i);
    const bv = [1, 2, 3, 4, 5, 6];
    const expected = av.map((v, i) => v - bv[i % 6]!);
    expectClose(run("Sub", [tensor(av, [2, 3, 2]), tensor(bv, [1, 3, 2])], {}, [2, 3, 2]), expected);
    expectExact(
      run("Maximum", [tensor(bv, [3, 2], "int32"), tensor([3, 7], [2], "int32")], {}, [3, 2], "int32"),
      [3, 7, 3, 7, 5, 7],
      "int32",
    );
  });

  it("broadcasts a column against a row into an outer product", () => {
    const col = tensor([1, 2, 3], [3, 1]);
    const row = tensor([10, 100], [1, 2]);
    expectClose(run("Mul", [col, row], {}, [3, 2]), [10, 100, 20, 200, 30, 300]);
  });

  it("broadcasts a scalar on either side", () => {
    const s = tensor([2], []);
    const m = tensor([1, 2, 3, 4], [2, 2]);
    expectClose(run("Pow", [m, s], {}, [2, 2]), [1, 4, 9, 16]);
    expectClose(run("Pow", [s, m], {}, [2, 2]), [2, 4, 8, 16]);
  });

  it("broadcasts inner and outer axes of different ranks at once", () => {
    // a: [2,1,3], b: [4,1] → out [2,4,3]; out[i,j,k] = a[i,0,k] - b[j,0]
    const av = [1, 2, 3, 4, 5, 6];
    const bv = [0.5, 1.5, 2.5, 3.5];
    const expected: number[] = [];
    for (let i = 0; i < 2; i++)
      for (let j = 0; j < 4; j++) for (let k = 0; k < 3; k++) expected.push(av[i * 3 + k]! - bv[j]!);
    expectClose(run("Sub", [tensor(av, [2, 1, 3]), tensor(bv, [4, 1])], {}, [2, 4, 3]), expected);
  });

  it("broadcasts comparisons into bool", () => {
    const out = run("Greater", [tensor([1, 5, 3, 0], [2, 2]), tensor([2], [1])], {}, [2, 2], "bool");
    expectExact(out, [0, 1, 1, 0], "bool");
  });

  it("rejects shapes that do not broadcast to the output", () => {
    expect(() => run("Add", [tensor([1, 2, 3], [3]), tensor([1, 2], [2])], {}, [3])).toThrow(/cannot be broadcast/);
  });
});

describe("cpu Select", () => {
  it("picks from a or b by a broadcast condition", () => {
    const cond = tensor([1, 0], [2, 1], "bool");
    const a = tensor([1, 2, 3, 4, 5, 6], [2, 3]);
    const b = tensor([-1], []);
    expectClose(run("Select", [cond, a, b], {}, [2, 3]), [1, 2, 3, -1, -1, -1]);
  });

  it("selects int32 values elementwise", () => {
    const cond = tensor([0, 1, 1, 0], [4], "bool");
    const a = tensor([1, 2, 3, 4], [4], "int32");
    const b = tensor([10, 20, 30, 40], [4], "int32");
    expectExact(run("Select", [cond, a, b], {}, [4], "int32"), [10, 2, 3, 40], "int32");
  });
});

describe("cpu Cast", () => {
  it("truncates float32 toward zero when casting to int32", () => {
    const out = run("Cast", [tensor([1.7, -1.7, 0, 2.5, -0.2], [5])], { dtype: "int32" }, [5], "int32");
    expectExact(out, [1, -1, 0, 2, 0], "int32");
  });

  it("maps anything to bool as != 0 (NaN is true)", () => {
    expectExact(
      run("Cast", [tensor([0, 0.5, NaN, -0, -3], [5])], { dtype: "bool" }, [5], "bool"),
      [0, 1, 1, 0, 1],
      "bool",
    );
    expectExact(run("Cast", [tensor([0, 7, -1], [3], "int32")], { dtype: "bool" }, [3], "bool"), [0, 1, 1], "bool");
  });

  it("widens bool and int32 to float32 and bool to int32", () => {
    expectExact(
      run("Cast", [tensor([1, 0, 1], [3], "bool")], { dtype: "float32" }, [3], "float32"),
      [1, 0, 1],
      "float32",
    );
    expectExact(
      run("Cast", [tensor([-5, 16777216], [2], "int32")], { dtype: "float32" }, [2], "float32"),
      [-5, 16777216],
      "float32",
    );
    expectExact(run("Cast", [tensor([1, 0], [2], "bool")], { dtype: "int32" }, [2], "int32"), [1, 0], "int32");
  });

  it("rejects attrs.dtype that disagrees with out.dtype", () => {
    expect(() => run("Cast", [tensor([1], [1])], { dtype: "int32" }, [1], "bool")).toThrow(/Cast/);
  });
});

describe("cpu backend storage", () => {
  it("keeps the written array, counts bytes and buffers, and frees them", () => {
    const before = cpu.memory();
    const values = new Float32Array([1, 2, 3]);
    const id = cpu.write(values, [3], "float32");
    expect(cpu.readSync(id)).toBe(values);
    expect(cpu.memory()).toEqual({ numBytes: before.numBytes + 12, numDataBuffers: before.numDataBuffers + 1 });
    cpu.disposeData(id);
    expect(cpu.memory()).toEqual(before);
    expect(() => cpu.readSync(id)).toThrow(/unknown DataId/);
  });

  it("reads asynchronously", async () => {
    const id = cpu.write(new Int32Array([4, 5]), [2], "int32");
    expect(Array.from(await cpu.read(id))).toEqual([4, 5]);
    cpu.disposeData(id);
  });

  it("rejects data that does not match its dtype or shape", () => {
    expect(() => cpu.write(new Float32Array(2), [2], "int32")).toThrow(/int32 data must be a Int32Array/);
    expect(() => cpu.write(new Float32Array(3), [2, 2], "float32")).toThrow(/needs 4 values, got 3/);
  });

  it("rejects a kernel input whose TensorInfo disagrees with its stored data", () => {
    const id = cpu.write(new Float32Array([1, 2]), [2], "float32");
    expect(() => run("Neg", [{ dataId: id, shape: [2], dtype: "int32" }], {}, [2], "int32")).toThrow(
      /declared int32 holds float32/,
    );
    expect(() => run("Neg", [{ dataId: id, shape: [3], dtype: "float32" }], {}, [3])).toThrow(
      /shape \[3\] has 2 stored values/,
    );
    cpu.disposeData(id);
    expect(() => run("Neg", [{ dataId: id, shape: [2], dtype: "float32" }], {}, [2])).toThrow(/unknown DataId/);
  });

  it("names itself and promises float32-level precision", () => {
    expect(cpu.name).toBe("cpu");
    expect(cpu.epsilon).toBeGreaterThan(0);
    expect(cpu.epsilon).toBeLessThan(1e-4);
  });
});
