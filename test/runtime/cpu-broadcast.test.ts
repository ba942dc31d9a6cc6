import { describe, expect, it } from "vitest";
import {
  broadcastIndex,
  broadcastIndexMap,
  broadcastStrides,
  stridesOf,
} from "../../src/runtime/backends/broadcast.js";
import { broadcastShapes } from "../../src/runtime/ops/util.js";

describe("broadcast index helpers", () => {
  it("computes row-major strides", () => {
    expect(stridesOf([2, 3, 4])).toEqual([12, 4, 1]);
    expect(stridesOf([5])).toEqual([1]);
    expect(stridesOf([])).toEqual([]);
  });

  it("broadcasts shapes NumPy-style and names the shapes that do not", () => {
    expect(broadcastShapes("add", [3, 1], [4])).toEqual([3, 4]);
    expect(broadcastShapes("add", [], [2, 2])).toEqual([2, 2]);
    expect(broadcastShapes("add", [2, 1, 5], [7, 1])).toEqual([2, 7, 5]);
    expect(() => broadcastShapes("add", [3], [4])).toThrow("add: shapes [3] and [4] cannot be broadcast together");
  });

  it("gives zero strides on broadcast axes", () => {
    expect(broadcastStrides([3, 1], [2, 3, 4])).toEqual([0, 1, 0]);
    expect(broadcastStrides([2, 3, 4], [2, 3, 4])).toEqual([12, 4, 1]);
    expect(broadcastStrides([], [2, 2])).toEqual([0, 0]);
    expect(() => broadcastStrides([3], [4])).toThrow(/cannot be broadcast to \[4\]/);
    expect(() => broadcastStrides([1, 2], [2])).toThrow(/more axes/);
  });

  it("maps every output index to the input index it reads, by map and by formula", () => {
    const inShape = [2, 1, 3];
    const outShape = [4, 2, 5, 3];
    const strides = broadcastStrides(inShape, outShape);
    const map = broadcastIndexMap(inShape, outShape);
    let i = 0;
    for (let a = 0; a < 4; a++)
      for (let b = 0; b < 2; b++)
        for (let c = 0; c < 5; c++)
          for (let d = 0; d < 3; d++, i++) {
            const expected = b * 3 + d;
            expect(map[i]).toBe(expected);
            expect(broadcastIndex(i, outShape, strides)).toBe(expected);
          }
    expect(map.length).toBe(i);
  });
});
