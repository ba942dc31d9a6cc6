/**
 * `tf.util` against tfjs-core 4.22's `tf.util`: every helper TF.js exports is there (but the two
 * 64-bit hashing helpers), and each gives TF.js's result on the same inputs. `tf.browser` and
 * `tf.util.fetch` fail with errors that say why.
 */
import { beforeAll, describe, expect, test } from "vitest";
import * as tf from "../../src/tf.js";
import { oracleReady, tfc } from "../models/tfjs-oracle.js";

beforeAll(oracleReady);

const EXCLUDED = ["fingerPrint64", "hexToLong"];

/** Calls a helper of both libraries with the same arguments (copied, as some helpers mutate them). */
function both(name: string, ...args: unknown[]): [unknown, unknown] {
  const copy = () => structuredClone(args);
  const mine = (tf.util as unknown as Record<string, (...a: unknown[]) => unknown>)[name](...copy());
  const theirs = (tfc.util as Record<string, (...a: unknown[]) => unknown>)[name](...copy());
  return [mine, theirs];
}

/** A call's value or error message (spacing ignored: TF.js's shuffleCombo message lacks a space). */
function outcome(f: () => unknown): unknown {
  try {
    return { value: f() };
  } catch (e) {
    return { error: (e as Error).message.replace(/\s+/g, "") };
  }
}

test("every tf.util helper of TF.js 4.22 is here, but the 64-bit hashing ones", () => {
  const theirs = Object.keys(tfc.util).filter((k) => typeof tfc.util[k] === "function");
  const missing = theirs.filter((k) => !(k in tf.util) && !EXCLUDED.includes(k));
  expect(missing).toEqual([]);
  expect(theirs.length).toBeGreaterThan(55);
});

describe("same results as TF.js", () => {
  const deterministic: [string, unknown[]][] = [
    ["sizeFromShape", [[2, 3, 4]]],
    ["sizeFromShape", [[]]],
    ["isScalarShape", [[]]],
    [
      "arraysEqual",
      [
        [1, 2],
        [1, 2],
      ],
    ],
    [
      "arraysEqual",
      [
        [1, 2],
        [1, 3],
      ],
    ],
    [
      "arraysEqualWithNull",
      [
        [null, 2],
        [5, 2],
      ],
    ],
    [
      "arraysEqualWithNull",
      [
        [1, 2],
        [5, 2],
      ],
    ],
    ["clamp", [0, 7, 5]],
    ["clamp", [0, -1, 5]],
    ["nearestLargerEven", [7]],
    ["sum", [[1, 2, 3.5]]],
    [
      "distSquared",
      [
        [1, 2],
        [4, 6],
      ],
    ],
    ["isInt", [3]],
    ["isInt", [3.5]],
    ["tanh", [0.5]],
    ["sizeToSquarishShape", [10]],
    ["rightPad", ["ab", 5]],
    ["rightPad", ["abcdef", 3]],
    ["inferFromImplicitShape", [[2, -1, 3], 24]],
    ["inferFromImplicitShape", [[2, 3], 6]],
    ["parseAxisParam", [-1, [2, 3, 4]]],
    ["parseAxisParam", [null, [2, 3]]],
    [
      "parseAxisParam",
      [
        [0, -2],
        [2, 3, 4],
      ],
    ],
    ["squeezeShape", [[1, 3, 1, 2]]],
    ["squeezeShape", [[1, 3, 1, 2], [2]]],
    ["squeezeShape", [[1, 3, 1], []]],
    ["computeStrides", [[3, 4, 5]]],
    ["computeStrides", [[7]]],
    ["locToIndex", [[1, 2, 3], 3, [20, 5]]],
    ["indexToLoc", [33, 3, [20, 5]]],
    ["indexToLoc", [4, 1, []]],
    [
      "toNestedArray",
      [
        [2, 2],
        [1, 2, 3, 4],
      ],
    ],
    ["toNestedArray", [[], [9]]],
    ["toNestedArray", [[2, 0], []]],
    ["flatten", [[[1, [2, 3]], 4]]],
    ["flatten", [[new Float32Array([1, 2]), 3]]],
    ["isValidDtype", ["int32"]],
    ["isValidDtype", ["uint8"]],
    ["hasEncodingLoss", ["float32", "int32"]],
    ["hasEncodingLoss", ["int32", "float32"]],
    ["hasEncodingLoss", ["bool", "bool"]],
    ["hasEncodingLoss", ["int32", "bool"]],
    ["bytesPerElement", ["float32"]],
    ["bytesPerElement", ["bool"]],
    ["bytesFromStringArray", [[new Uint8Array(3), new Uint8Array(4)]]],
    ["isString", ["x"]],
    ["isBoolean", [false]],
    ["isNumber", [1]],
    ["inferDtype", [[[1, 2]]]],
    ["inferDtype", [[true]]],
    ["inferDtype", [new Int32Array(2)]],
    ["inferDtype", ["s"]],
    ["nearestDivisor", [12, 5]],
    ["nearestDivisor", [13, 5]],
    ["getArrayFromDType", ["int32", 3]],
    ["getTypedArrayFromDType", ["bool", 2]],
    ["makeOnesTypedArray", [3, "float32"]],
    ["makeZerosTypedArray", [2, "int32"]],
    ["makeZerosNestedTypedArray", [[2, 3], "float32"]],
    [
      "toTypedArray",
      [
        [
          [1.5, 2],
          [3, 4],
        ],
        "int32",
      ],
    ],
    ["toTypedArray", [[0, 0.4, 0.6, -2], "bool"]],
    ["createScalarValue", [3, "float32"]],
    ["convertBackendValuesAndArrayBuffer", [new Float32Array([1, 2]), "float32"]],
    ["encodeString", ["héllo"]],
    ["isTypedArray", [new Uint8ClampedArray(1)]],
    ["isTypedArray", [[1]]],
  ];
  for (const [name, args] of deterministic) {
    test(`${name}(${JSON.stringify(args).slice(1, -1)})`, () => {
      const [mine, theirs] = both(name, ...args);
      expect(mine).toEqual(theirs);
    });
  }

  test("the errors TF.js gives, with TF.js's messages", () => {
    const cases: [string, unknown[]][] = [
      ["inferFromImplicitShape", [[-1, -1], 4]],
      ["inferFromImplicitShape", [[3, -1], 4]],
      ["inferFromImplicitShape", [[0, -1], 4]],
      ["inferFromImplicitShape", [[2, 3], 4]],
      ["parseAxisParam", [3, [2, 3]]],
      ["parseAxisParam", [0.5, [2, 3]]],
      ["squeezeShape", [[1, 3], [1]]],
      [
        "toNestedArray",
        [
          [2, 2],
          [1, 2, 3],
        ],
      ],
      ["assertShapesMatch", [[1, 2], [2, 1], "add:"]],
      ["assertNonNegativeIntegerDimensions", [[2, -1]]],
      ["checkConversionForErrors", [[1, Number.NaN], "float32"]],
      ["bytesPerElement", ["nope"]],
      ["getArrayFromDType", ["nope", 1]],
      ["shuffleCombo", [[1, 2], [1]]],
      ["toTypedArray", [["a"], "string"]],
    ];
    for (const [name, args] of cases) {
      const mine = outcome(() => (tf.util as unknown as Record<string, (...a: unknown[]) => unknown>)[name](...args));
      const theirs = outcome(() => tfc.util[name](...args));
      expect(mine, name).toEqual(theirs);
    }
  });

  test("isPromise tells thenables apart (TF.js returns the falsy value itself, deepts false)", () => {
    for (const v of [Promise.resolve(), {}, null, 1]) {
      expect(tf.util.isPromise(v)).toBe(Boolean(tfc.util.isPromise(v)));
    }
  });

  test("assert takes a message function (TF.js) or a string", () => {
    expect(() => tf.util.assert(false, () => "lazy")).toThrow("lazy");
    expect(() => tf.util.assert(false, "eager")).toThrow("eager");
    expect(() => tf.util.assert(true, "never")).not.toThrow();
  });

  test("decodeString reverses encodeString", () => {
    const bytes = tf.util.encodeString("naïve ☃");
    expect(tf.util.decodeString(bytes)).toBe(tfc.util.decodeString(bytes));
    expect(tf.util.decodeString(bytes)).toBe("naïve ☃");
  });
});

describe("random helpers", () => {
  test("shuffle, shuffleCombo and createShuffledIndices permute; tf.setSeed makes them reproducible", () => {
    const a = Array.from({ length: 20 }, (_, i) => i);
    tf.setSeed(9);
    tf.util.shuffle(a);
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    const b = Array.from({ length: 20 }, (_, i) => i);
    tf.setSeed(9);
    tf.util.shuffle(b);
    expect(b).toEqual(a);
    const xs = [1, 2, 3, 4, 5, 6];
    const ys = ["1", "2", "3", "4", "5", "6"];
    tf.util.shuffleCombo(xs, ys);
    expect(ys).toEqual(xs.map(String));
    const idx = tf.util.createShuffledIndices(8);
    expect(idx).toBeInstanceOf(Uint32Array);
    expect([...idx].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    const u = tf.util.randUniform(2, 3);
    expect(u >= 2 && u < 3).toBe(true);
    const s = { 0: "a", 1: "b", length: 2 };
    tf.util.swap(s, 0, 1);
    expect([s[0], s[1]]).toEqual(["b", "a"]);
  });

  test("repeatedTry resolves when the check passes and rejects after maxCounter tries", async () => {
    let n = 0;
    await tf.util.repeatedTry(() => ++n === 3);
    expect(n).toBe(3);
    await expect(
      tf.util.repeatedTry(
        () => false,
        () => 0,
        4,
      ),
    ).rejects.toThrow(/after 4 tries/);
  });

  test("now() is a high-resolution clock", () => {
    const t0 = tf.util.now();
    expect(tf.util.now()).toBeGreaterThanOrEqual(t0);
  });
});

test("browser-only and network helpers fail with errors that say so", async () => {
  expect(() => tf.browser.fromPixels({})).toThrow(/tf.browser.fromPixels needs a browser/);
  expect(() => tf.browser.draw()).toThrow(/needs a browser/);
  await expect(tf.browser.toPixels()).rejects.toThrow(/tf.browser.toPixels needs a browser/);
  await expect(tf.browser.fromPixelsAsync()).rejects.toThrow(/needs a browser/);
  await expect(tf.util.fetch("https://example.com/model.json")).rejects.toThrow(/does not download/);
});
