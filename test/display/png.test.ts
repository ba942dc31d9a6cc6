import { describe, expect, it } from "vitest";
import { encodePng } from "../../src/display/index.js";
import { decodePng } from "./helpers.js";

describe("encodePng", () => {
  it("round-trips greyscale, RGB and RGBA pixels", () => {
    for (const channels of [1, 3, 4] as const) {
      const w = 7;
      const h = 5;
      const pixels = Uint8Array.from({ length: w * h * channels }, (_, i) => (i * 37) % 256);
      const png = encodePng(pixels, w, h, channels);
      const back = decodePng(png);
      expect(back).toMatchObject({ width: w, height: h, channels });
      expect(Array.from(back.pixels)).toEqual(Array.from(pixels));
    }
  });

  it("rejects a pixel buffer of the wrong size", () => {
    expect(() => encodePng(new Uint8Array(5), 2, 2, 1)).toThrow(/expected 4 bytes/);
    expect(() => encodePng(new Uint8Array(0), 0, 2, 1)).toThrow(/positive integers/);
  });
});
