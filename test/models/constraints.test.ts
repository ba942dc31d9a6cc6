/** tf.constraints against TF.js (tfjs-layers) on the same weights, plus their definitions and configs. */
import { beforeAll, describe, expect, test } from "vitest";
import * as tf from "../../src/runtime/index.js";
import { constraints, getConstraint } from "../../src/models/constraints.js";
import { tfc, tfl, oracleReady } from "./tfjs-oracle.js";
import { values, expectClose, randomTensor } from "./helpers.js";

beforeAll(oracleReady);

const them = (t: tf.Tensor) => tfc.tensor(values(t), t.shape);

describe("constraints", () => {
  const w = randomTensor([4, 3, 5], 7, -2, 2);
  const cases: [string, Record<string, unknown>][] = [
    ["maxNorm", {}],
    ["maxNorm", { maxValue: 0.5, axis: 1 }],
    ["maxNorm", { maxValue: 1, axis: [0, 1] }],
    ["unitNorm", {}],
    ["unitNorm", { axis: 2 }],
    ["nonNeg", {}],
    ["minMaxNorm", {}],
    ["minMaxNorm", { minValue: 0.5, maxValue: 1.5, rate: 0.7, axis: 1 }],
  ];
  for (const [name, args] of cases) {
    test(`${name}(${JSON.stringify(args)}) matches TF.js`, () => {
      const ours = (constraints as Record<string, (a: unknown) => { apply(w: tf.Tensor): tf.Tensor }>)[name](args);
      const theirs = tfl.constraints[name](args);
      expectClose(values(ours.apply(w)), Array.from(theirs.apply(them(w)).dataSync() as Float32Array), 1e-5);
    });
  }

  test("the constrained norms are what each constraint promises", () => {
    const norm = (t: tf.Tensor, axis: number) => values(tf.sqrt(tf.sum(tf.square(t), axis)));
    for (const n of norm(constraints.maxNorm({ maxValue: 0.5 }).apply(w), 0)) expect(n).toBeLessThanOrEqual(0.5 + 1e-6);
    for (const n of norm(constraints.unitNorm({ axis: 0 }).apply(w), 0)) expect(n).toBeCloseTo(1, 5);
    for (const n of norm(constraints.minMaxNorm({ minValue: 2, maxValue: 3 }).apply(w), 0)) {
      expect(n).toBeGreaterThanOrEqual(2 - 1e-5);
      expect(n).toBeLessThanOrEqual(3 + 1e-5);
    }
    expect(Math.min(...values(constraints.nonNeg().apply(w)))).toBeGreaterThanOrEqual(0);
    expect(values(constraints.unitNorm().apply(tf.zeros([2, 2])))).toEqual([0, 0, 0, 0]);
  });

  test("names, saved configs and bad arguments", () => {
    expect(getConstraint("max_norm")?.getClassName()).toBe("MaxNorm");
    expect(getConstraint("nonNeg")?.getClassName()).toBe("NonNeg");
    expect(getConstraint(null)).toBeNull();
    const c = getConstraint({ className: "MinMaxNorm", config: { minValue: 1, maxValue: 2, rate: 0.5, axis: 1 } });
    expect(c?.getConfig()).toEqual({ minValue: 1, maxValue: 2, rate: 0.5, axis: 1 });
    expect(constraints.maxNorm().getConfig()).toEqual(tfl.constraints.maxNorm({}).getConfig());
    expect(constraints.minMaxNorm().getConfig()).toEqual(tfl.constraints.minMaxNorm({}).getConfig());
    expect(() => getConstraint("sparkly")).toThrow(/Unknown constraint 'sparkly'/);
    expect(() => constraints.minMaxNorm({ minValue: 2, maxValue: 1 })).toThrow(/minValue/);
  });
});
