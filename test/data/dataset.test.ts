/**
 * tf.data pipelines against the real @tensorflow/tfjs-data 4.22: the same pipeline built with both
 * gives the same elements (order, shapes, dtypes, values) and the same `size`; plus the behaviour
 * TF.js documents where the two cannot be compared element by element (random order, laziness).
 */
import { beforeAll, describe, expect, test } from "vitest";
import * as tf from "../../src/tf.js";
import { elements, oracleReady, plain, tfc, tfd } from "./tfjs-data-oracle.js";

beforeAll(oracleReady);

type Lib = { data: typeof tf.data; tensor: (v: unknown, shape?: number[]) => unknown };
const ours: Lib = { data: tf.data, tensor: (v, s) => tf.tensor(v as number[], s) };
const theirs: Lib = { data: tfd, tensor: (v, s) => tfc.tensor(v, s) };

/** Builds a pipeline with a library and returns its elements and size. */
type Pipeline = (lib: Lib) => { toArray(): Promise<unknown[]>; size: number | null };

const pipelines: Record<string, Pipeline> = {
  "array → map → filter → batch": ({ data }) =>
    data
      .array([1, 2, 3, 4, 5, 6, 7])
      .map((x: number) => x * 10)
      .filter((x: number) => x > 10)
      .batch(2),
  "batch without the small last batch": ({ data }) => data.array([1, 2, 3, 4, 5]).batch(2, false),
  "batch of objects of numbers, arrays and tensors": ({ data, tensor }) =>
    data
      .array([0, 1, 2, 3, 4])
      .map((i: number) => ({ n: i, v: [i, i + 1], t: tensor([i, 2 * i, 3 * i], [3]), b: i % 2 === 0 }))
      .batch(3),
  "batch of typed arrays": ({ data }) =>
    data.array([new Int32Array([1, 2]), new Int32Array([3, 4]), new Int32Array([5, 6])]).batch(2),
  "take, skip, repeat, concatenate": ({ data }) =>
    data
      .array([1, 2, 3, 4])
      .skip(1)
      .take(2)
      .repeat(3)
      .concatenate(data.array([9, 8])),
  "zip of an array, ending with the shortest": ({ data }) => data.zip([data.array([1, 2, 3]), data.array(["a", "b"])]),
  "generator (sync)": ({ data }) =>
    data.generator(function* () {
      for (let i = 0; i < 4; i++) yield { x: i, y: i * i };
    }),
  "generator (async), then prefetch": ({ data }) =>
    data
      .generator(async function* () {
        for (let i = 0; i < 5; i++) yield i;
      })
      .prefetch(2)
      .batch(4),
  "skip past the end, take more than there is": ({ data }) =>
    data
      .array([1, 2, 3])
      .skip(5)
      .concatenate(data.array([4]).take(10)),
  "repeat(0) is empty": ({ data }) => data.array([1, 2]).repeat(0),
};

describe("pipelines give TF.js's elements and sizes", () => {
  for (const [name, build] of Object.entries(pipelines)) {
    test(name, async () => {
      const mine = build(ours);
      const reference = build(theirs);
      expect(mine.size).toEqual(reference.size);
      expect(await elements(mine)).toEqual(await elements(reference));
    });
  }

  test("zip of a nested structure (TF.js gets this size wrong: NaN)", async () => {
    const build: Pipeline = ({ data }) =>
      data
        .zip({
          xs: data.array([
            [1, 2],
            [3, 4],
            [5, 6],
          ]),
          pair: [data.array([7, 8, 9, 10]), data.array([0, 1, 2])],
        })
        .batch(2);
    expect(build(ours).size).toBe(2);
    expect(await elements(build(ours))).toEqual(await elements(build(theirs)));
  });

  test("batch of arrays of scalar tensors: one tensor per batch, of TF.js's shape (TF.js loses the values)", async () => {
    const build: Pipeline = ({ data, tensor }) =>
      data
        .array([1, 2, 3])
        .map((i: number) => ({ xs: [tensor(i, []), tensor(-i, [])] }))
        .batch(2);
    const shapes = (els: unknown[]) => els.map((e) => (e as { xs: { shape: number[] } }).xs.shape);
    const mine = await elements(build(ours));
    expect(shapes(mine)).toEqual(shapes(await elements(build(theirs))));
    expect(mine).toEqual([
      { xs: { shape: [2, 2], dtype: "float32", values: [1, -1, 2, -2] } },
      { xs: { shape: [1, 2], dtype: "float32", values: [3, -3] } },
    ]);
  });

  test("sizes: known, unknown (filter, generator) and infinite (repeat forever)", () => {
    for (const lib of [ours, theirs]) {
      const a = lib.data.array([1, 2, 3, 4, 5]);
      const sizes = [
        a.size,
        a.batch(2).size,
        a.batch(2, false).size,
        a.filter(() => true).size,
        a.repeat().size,
        a.repeat().batch(2).size,
        a.repeat(2).size,
        a.take(3).size,
        a.skip(2).size,
        a.concatenate(a).size,
        lib.data.zip({ a, b: a.take(2) }).size,
      ];
      expect(sizes).toEqual([5, 3, 2, null, Infinity, Infinity, 10, 3, 3, 10, 2]);
    }
  });
});

describe("datasets are recipes, iterated lazily and afresh", () => {
  test("a generator function is called once per iteration, and not before the first next()", async () => {
    let calls = 0;
    let produced = 0;
    const ds = tf.data.generator(function* () {
      calls++;
      for (let i = 0; i < 3; i++) {
        produced++;
        yield i;
      }
    });
    const it = await ds.iterator();
    expect(produced).toBe(0);
    expect(await it.next()).toEqual({ value: 0, done: false });
    expect(produced).toBe(1);
    expect(await ds.toArray()).toEqual([0, 1, 2]);
    expect(await ds.toArray()).toEqual([0, 1, 2]);
    expect(calls).toBe(3);
  });

  test("iterator() gives a fresh async iterator each time; next() past the end keeps returning done", async () => {
    const ds = tf.data.array([1, 2]).map((x) => x + 1);
    const a = await ds.iterator();
    const b = await ds.iterator();
    expect(await a.next()).toEqual({ value: 2, done: false });
    expect(await b.next()).toEqual({ value: 2, done: false });
    expect(await a.next()).toEqual({ value: 3, done: false });
    expect(await a.next()).toEqual({ value: null, done: true });
    expect(await a.next()).toEqual({ value: null, done: true });
    const seen: number[] = [];
    for await (const x of await ds.iterator()) seen.push(x);
    expect(seen).toEqual([2, 3]);
  });

  test("next() calls made without awaiting are answered in order", async () => {
    const it = await tf.data
      .generator(async function* () {
        for (let i = 0; i < 4; i++) {
          await new Promise((r) => setTimeout(r, 4 - i));
          yield i;
        }
      })
      .iterator();
    const results = await Promise.all([it.next(), it.next(), it.next(), it.next(), it.next()]);
    expect(results.map((r) => r.value)).toEqual([0, 1, 2, 3, null]);
  });

  test("tf.data.func shares one function across iterations", async () => {
    let i = -1;
    const ds = tf.data.func(() => (++i < 3 ? { value: i, done: false } : { value: null, done: true }));
    expect(await ds.toArray()).toEqual([0, 1, 2]);
    expect(await ds.toArray()).toEqual([]);
  });

  test("forEachAsync visits every element in order, awaiting an async callback", async () => {
    const seen: number[] = [];
    await tf.data.array([1, 2, 3]).forEachAsync(async (x) => {
      await new Promise((r) => setTimeout(r, 1));
      seen.push(x);
    });
    expect(seen).toEqual([1, 2, 3]);
  });

  test("toArrayForTest gives the same elements as toArray", async () => {
    const ds = tf.data.array([3, 1, 2]).map((x) => x * 2);
    expect(await ds.toArrayForTest()).toEqual(await ds.toArray());
  });

  test("toArray of an infinite dataset fails as in TF.js", async () => {
    await expect(tf.data.array([1]).repeat().toArray()).rejects.toThrow(
      "Can not convert infinite data stream to array.",
    );
  });

  test("repeating an empty dataset forever ends instead of spinning", async () => {
    expect(
      await tf.data
        .array([] as number[])
        .repeat()
        .take(5)
        .toArray(),
    ).toEqual([]);
  });
});

describe("shuffle", () => {
  const ten = Array.from({ length: 10 }, (_, i) => i);

  test("gives a permutation; a seed fixes the order; each iteration reshuffles by default", async () => {
    const ds = tf.data.array(ten).shuffle(10, 42);
    const first = await ds.toArray();
    const second = await ds.toArray();
    expect([...first].sort((a, b) => a - b)).toEqual(ten);
    expect([...second].sort((a, b) => a - b)).toEqual(ten);
    expect(first).not.toEqual(ten);
    expect(second).not.toEqual(first);
    expect(await tf.data.array(ten).shuffle(10, 42).toArray()).toEqual(first);
    expect(await tf.data.array(ten).shuffle(10, "42").toArray()).not.toEqual(first);
  });

  test("reshuffleEachIteration false repeats the same order", async () => {
    const ds = tf.data.array(ten).shuffle(10, "s", false);
    expect(await ds.toArray()).toEqual(await ds.toArray());
  });

  test("without a seed, tf.setSeed makes it reproducible", async () => {
    tf.setSeed(7);
    const a = await tf.data.array(ten).shuffle(10).toArray();
    tf.setSeed(7);
    const b = await tf.data.array(ten).shuffle(10).toArray();
    expect(a).toEqual(b);
  });

  test("a window of 1 keeps the order; a small window only moves elements within reach", async () => {
    expect(await tf.data.array(ten).shuffle(1, 3).toArray()).toEqual(ten);
    const out = await tf.data.array(ten).shuffle(3, 3).toArray();
    // An element can be emitted at most (window - 1) places earlier than its position.
    out.forEach((v, i) => expect(v).toBeLessThanOrEqual(i + 2));
  });

  test("needs a buffer size, like TF.js", () => {
    // @ts-expect-error: bufferSize is required
    expect(() => tf.data.array(ten).shuffle()).toThrow(RangeError);
    // @ts-expect-error: bufferSize is required
    expect(() => tf.data.array(ten).prefetch()).toThrow("requires bufferSize");
  });
});

describe("unbatch (a deepts addition, as in Python's tf.data)", () => {
  test("splits batches back into the examples", async () => {
    const ds = tf.data
      .array([0, 1, 2, 3, 4])
      .map((i) => ({ x: tf.tensor1d([i, -i]), y: i }))
      .batch(2)
      .unbatch();
    expect(await elements(ds)).toEqual(
      [0, 1, 2, 3, 4].map((i) => ({
        x: { shape: [2], dtype: "float32", values: [i, -i] },
        y: { shape: [], dtype: "float32", values: [i] },
      })),
    );
  });
});

describe("clear errors for bad input", () => {
  test("batching strings, missing values, mismatched shapes and keys", async () => {
    await expect(tf.data.array(["a", "b"]).batch(2).toArray()).rejects.toThrow(/string "a".*numbers and booleans only/);
    await expect(
      tf.data
        .array([{ x: 1 }, { x: undefined as unknown as number }])
        .batch(2)
        .toArray(),
    ).rejects.toThrow(/element 1 has no value at 'x'/);
    await expect(
      tf.data
        .array([tf.zeros([2]), tf.zeros([3])])
        .batch(2)
        .toArray(),
    ).rejects.toThrow(/same shape.*\[2\].*\[3\]/);
    await expect(
      tf.data
        .array([{ a: 1 }, { b: 2 } as unknown as { a: number }])
        .batch(2)
        .toArray(),
    ).rejects.toThrow(/element 1 has no 'a'/);
    expect(() => tf.data.array([1]).batch(0)).toThrow(/positive integer/);
  });

  test("an async transform given to map points to mapAsync; mapAsync awaits it", async () => {
    const bad = tf.data.array([1]).map((async (x: number) => x) as unknown as (x: number) => number);
    await expect(bad.toArray()).rejects.toThrow(/use mapAsync/);
    expect(
      await tf.data
        .array([1, 2])
        .mapAsync(async (x) => x * 3)
        .toArray(),
    ).toEqual([3, 6]);
  });

  test("zip needs an array or object of datasets; generator needs a function", () => {
    expect(() => tf.data.zip(tf.data.array([1]) as never)).toThrow("must be an object or array");
    expect(() => tf.data.zip({ a: 1 } as never)).toThrow("must be Datasets");
    expect(() => tf.data.generator((function* () {})() as never)).toThrow(/takes a function/);
  });

  test("an error thrown by a generator names the dataset", async () => {
    const ds = tf.data.generator(function* () {
      yield 1;
      throw new Error("disk on fire");
    });
    await expect(ds.toArray()).rejects.toThrow("Error thrown while iterating through a dataset: disk on fire");
  });

  test("webcam and microphone are browser-only", async () => {
    await expect(tf.data.webcam()).rejects.toThrow(/needs a browser/);
    await expect(tf.data.microphone()).rejects.toThrow(/needs a browser/);
  });
});

test("elements of array datasets of tensors are clones: the array's tensors stay usable", async () => {
  const t = tf.tensor1d([1, 2]);
  const ds = tf.data.array([t, t]).map((x) => x.mul(2));
  expect((await ds.toArray()).map((x) => plain(x))).toHaveLength(2);
  expect(Array.from(t.dataSync())).toEqual([1, 2]);
});
