import { describe, expect, it } from "vitest";
import { collapseBroadcast, divmod, dot, int, lit } from "../../src/runtime/backends/gpujs/codegen.js";
import { KernelCompiler } from "../../src/runtime/backends/gpujs/compiler.js";

describe("gpujs kernel source generation", () => {
  const compiler = new KernelCompiler("webasm");

  it("divides integers exactly in generated kernels, far beyond float32's 2^24", () => {
    const n = 2000;
    for (const d of [3, 7, 1000, 65537]) {
      // t = x * 1000003 + 7 reaches ~2^31; float32 division alone is off by many units there
      const run = compiler.get(`divmod${d}`, () => ({
        source: `function(x) {
${int("t", "this.thread.x * 1000003 + 7")}${divmod("t", d, "q", "r", 2 ** 31)}if (q * ${d} + r == t && r >= 0 && r < ${d}) { return r; }
return -1;
}`,
        output: [n],
      }));
      const got = run([new Float32Array(1)]);
      for (let x = 0; x < n; x++) {
        const t = x * 1000003 + 7;
        if (got[x] !== t % d) throw new Error(`d=${d} x=${x}: got ${got[x]}, want ${t % d}`);
      }
    }
  });

  it("writes float literals that keep their float32 value", () => {
    const values = [0.1, -2.5, 1e-7, 3, -0, NaN, Infinity, -Infinity, 123456789];
    const run = compiler.get("literals", () => ({
      source: `function(x) {\nconst k = this.thread.x;\n${values
        .map((v, k) => `if (k == ${k}) { return ${lit(v)}; }\n`)
        .join("")}return 0;\n}`,
      output: [values.length],
    }));
    const got = run([new Float32Array(1)]);
    expect(Array.from(got)).toEqual(values.map((v) => Math.fround(v)));
    expect(Object.is(got[4], -0)).toBe(true);
  });

  it("merges output axes that every input treats alike", () => {
    expect(collapseBroadcast([2, 3, 4], [[2, 3, 4], [4]])).toEqual({
      dims: [6, 4],
      strides: [
        [4, 1],
        [0, 1],
      ],
    });
    expect(
      collapseBroadcast(
        [2, 3, 4],
        [
          [2, 3, 4],
          [2, 3, 4],
        ],
      ),
    ).toEqual({ dims: [24], strides: [[1], [1]] });
    expect(collapseBroadcast([5, 1, 3], [[5, 1, 1], [3]])).toEqual({
      dims: [5, 3],
      strides: [
        [1, 0],
        [0, 1],
      ],
    });
    expect(collapseBroadcast([], [[], []])).toEqual({ dims: [], strides: [[], []] });
    expect(() => collapseBroadcast([2, 3], [[4, 3]])).toThrow(/cannot broadcast/);
  });

  it("writes index sums with signs and without unit strides", () => {
    expect(
      dot([
        ["a", 4],
        ["b", 1],
        ["c", 0],
      ]),
    ).toBe("a * 4 + b");
    expect(
      dot(
        [
          ["h", 1],
          ["k", -2],
        ],
        3,
      ),
    ).toBe("h - k * 2 + 3");
    expect(dot([["h", -1]], -1)).toBe("-h - 1");
    expect(dot([], 0)).toBe("0");
  });
});
