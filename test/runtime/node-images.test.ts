/**
 * `tf.node`'s image codecs against files written by independent encoders (PIL, and the small
 * Python writers of `fixtures/images/make.py`), with PIL's decode of each file as the reference:
 * pixel-exact for PNG, BMP and GIF, within a JPEG tolerance; every channels option, dtype and
 * shape as tfjs-node gives them; encode → decode round trips; clear errors for bad bytes.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import * as tf from "../../src/tf.js";

const DIR = join(import.meta.dirname, "fixtures/images");
const manifest = JSON.parse(readFileSync(join(DIR, "manifest.json"), "utf8")) as Record<
  string,
  { width: number; height: number; refs: Record<string, string> }
>;
const CHANNELS: Record<string, number> = { L: 1, LA: 2, RGB: 3, RGBA: 4 };

const file = (name: string) => new Uint8Array(readFileSync(join(DIR, name)));

/** PIL's pixels of a fixture in a PIL mode, with the shape tfjs-node gives them. */
function reference(name: string, mode: string): { shape: number[]; values: number[] } {
  const entry = manifest[name];
  if (!entry?.refs[mode]) throw new Error(`no reference ${mode} for ${name}`);
  return {
    shape: [entry.height, entry.width, CHANNELS[mode]!],
    values: Array.from(readFileSync(join(DIR, entry.refs[mode]!))),
  };
}

function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

function meanDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum / a.length;
}

function expectExact(t: tf.Tensor, name: string, mode: string): void {
  const ref = reference(name, mode);
  expect(t.dtype).toBe("int32");
  expect(t.shape).toEqual(ref.shape);
  expect(Array.from(t.dataSync())).toEqual(ref.values);
}

describe("decodePng", () => {
  const asStored: [string, string][] = [
    ["rgb8.png", "RGB"],
    ["rgba8.png", "RGBA"],
    ["grey8.png", "L"],
    ["greyalpha8.png", "LA"],
    ["grey1.png", "L"],
    ["grey2.png", "L"],
    ["grey16.png", "L"],
    ["rgb16.png", "RGB"],
    ["palette1.png", "RGB"],
    ["palette2.png", "RGB"],
    ["palette4.png", "RGB"],
    ["palette8.png", "RGB"],
    ["palette-trns.png", "RGBA"],
    ["grey-trns.png", "L"],
    ["rgb-trns.png", "RGB"],
    ["rgba-interlaced.png", "RGBA"],
    ["grey4-interlaced.png", "L"],
    ["rgb-filters.png", "RGB"],
  ];
  it.each(asStored)("%s as stored is PIL's %s, pixel for pixel", (name, mode) => {
    expectExact(tf.node.decodePng(file(name)), name, mode);
    expectExact(tf.node.decodeImage(file(name)), name, mode);
  });

  it("adds and drops alpha and converts grey → colour exactly as PIL does", () => {
    for (const [name, modes] of Object.entries({
      "rgb8.png": ["RGBA"],
      "rgba8.png": ["RGB"],
      "grey8.png": ["LA", "RGB", "RGBA"],
      "greyalpha8.png": ["L", "RGB", "RGBA"],
      "palette8.png": ["RGBA"],
      "grey-trns.png": ["LA"],
      "rgb-trns.png": ["RGBA"],
    })) {
      for (const mode of modes) expectExact(tf.node.decodePng(file(name), CHANNELS[mode]), name, mode);
    }
  });

  it("converts colour → grey with Rec. 601 weights (within 1 of PIL's rounding)", () => {
    for (const [name, mode] of [
      ["rgb8.png", "L"],
      ["rgba8.png", "LA"],
      ["palette8.png", "L"],
    ] as const) {
      const t = tf.node.decodePng(file(name), CHANNELS[mode]);
      const ref = reference(name, mode);
      expect(t.shape).toEqual(ref.shape);
      expect(maxDifference(t.dataSync(), ref.values)).toBeLessThanOrEqual(1);
    }
  });

  it("refuses dtypes other than int32 and unknown channel counts", () => {
    expect(() => tf.node.decodePng(file("rgb8.png"), 0, "float32")).toThrow(/only return Tensor of type `int32`/);
    expect(() => tf.node.decodePng(file("rgb8.png"), 5)).toThrow(/channels must be one of 0, 1, 2, 3, 4/);
  });
});

describe("decodeJpeg", () => {
  /**
   * jpeg-js and libjpeg (PIL) differ by rounding in the inverse DCT and colour conversion, and,
   * for subsampled chroma, by how it is upsampled (jpeg-js repeats it, libjpeg interpolates).
   */
  function expectClose(t: tf.Tensor, name: string, mode: string, meanTolerance: number, maxTolerance: number): void {
    const ref = reference(name, mode);
    expect(t.dtype).toBe("int32");
    expect(t.shape).toEqual(ref.shape);
    const values = t.dataSync();
    expect(meanDifference(values, ref.values)).toBeLessThan(meanTolerance);
    expect(maxDifference(values, ref.values)).toBeLessThanOrEqual(maxTolerance);
  }

  it("decodes a 4:4:4 colour JPEG within 2 levels of libjpeg", () => {
    expectClose(tf.node.decodeJpeg(file("photo444.jpg")), "photo444.jpg", "RGB", 1, 2);
  });

  it("decodes baseline and progressive 4:2:0 colour JPEGs as RGB, close to libjpeg", () => {
    expectClose(tf.node.decodeJpeg(file("photo.jpg")), "photo.jpg", "RGB", 4, 24);
    expectClose(tf.node.decodeImage(file("photo.jpg")) as tf.Tensor, "photo.jpg", "RGB", 4, 24);
    expectClose(tf.node.decodeJpeg(file("photo-progressive.jpg")), "photo-progressive.jpg", "RGB", 4, 24);
  });

  it("keeps a grey JPEG's single channel, and converts on request", () => {
    expectClose(tf.node.decodeJpeg(file("grey.jpg")), "grey.jpg", "L", 0.5, 1);
    expectClose(tf.node.decodeJpeg(file("grey.jpg"), 3), "grey.jpg", "RGB", 0.5, 1);
    expectClose(tf.node.decodeImage(file("photo.jpg"), 1) as tf.Tensor, "photo.jpg", "L", 4, 24);
  });

  it("shrinks by `ratio` to libjpeg's scaled size", () => {
    const half = tf.node.decodeJpeg(file("photo.jpg"), 0, 2);
    expectClose(half, "photo.jpg@2", "RGB", 4, 24);
    expect(tf.node.decodeJpeg(file("photo.jpg"), 0, 8).shape).toEqual([3, 5, 3]);
  });

  it("refuses 2 or 4 channels and other ratios, as TensorFlow does", () => {
    expect(() => tf.node.decodeJpeg(file("photo.jpg"), 4)).toThrow(/channels must be one of 0, 1, 3/);
    expect(() => tf.node.decodeJpeg(file("photo.jpg"), 0, 3)).toThrow(/ratio must be 1, 2, 4 or 8/);
  });
});

describe("decodeBmp", () => {
  it.each([
    ["rgb24.bmp", "RGB"],
    ["topdown24.bmp", "RGB"],
    ["rgb555.bmp", "RGB"],
    ["rgba32.bmp", "RGBA"],
    ["grey8.bmp", "L"],
    ["palette8.bmp", "RGB"],
    ["mono1.bmp", "L"],
  ])("%s as stored is PIL's %s, pixel for pixel", (name, mode) => {
    expectExact(tf.node.decodeBmp(file(name)), name, mode);
    expectExact(tf.node.decodeImage(file(name)), name, mode);
  });

  it("converts channels on request", () => {
    const rgba = tf.node.decodeBmp(file("rgb24.bmp"), 4);
    expect(rgba.shape).toEqual([9, 13, 4]);
    const values = rgba.dataSync();
    const rgb = reference("rgb24.bmp", "RGB").values;
    for (let p = 0; p < 13 * 9; p++) {
      expect([values[p * 4], values[p * 4 + 1], values[p * 4 + 2], values[p * 4 + 3]]).toEqual([
        rgb[p * 3],
        rgb[p * 3 + 1],
        rgb[p * 3 + 2],
        255,
      ]);
    }
    const greyAsRgb = tf.node.decodeImage(file("grey8.bmp"), 3);
    expect(greyAsRgb.shape).toEqual([9, 13, 3]);
    expect(Array.from(greyAsRgb.dataSync())).toEqual(reference("grey8.bmp", "L").values.flatMap((v) => [v, v, v]));
  });

  it("refuses compressed (RLE) files with a clear error", () => {
    const bytes = file("grey8.bmp");
    new DataView(bytes.buffer, bytes.byteOffset).setUint32(30, 1, true); // BI_RLE8
    expect(() => tf.node.decodeBmp(bytes)).toThrow(/compressed BMP \(method 1, e\.g\. RLE\) is not supported/);
  });
});

describe("decodeGif", () => {
  function frames(name: string, count: number): number[] {
    return Array.from({ length: count }, (_, i) => reference(`${name}#${i}`, "RGB").values).flat();
  }

  it("decodes every frame as [frames, height, width, 3], as PIL composes them", () => {
    const anim = tf.node.decodeGif(file("anim.gif"));
    expect(anim.dtype).toBe("int32");
    expect(anim.shape).toEqual([3, 9, 13, 3]);
    expect(Array.from(anim.dataSync())).toEqual(frames("anim.gif", 3));
    // PIL wrote the second frame as only the changed rectangle: the rest is the first frame's.
    const partial = tf.node.decodeGif(file("partial.gif"));
    expect(partial.shape).toEqual([2, 9, 13, 3]);
    expect(Array.from(partial.dataSync())).toEqual(frames("partial.gif", 2));
  });

  it("decodeImage is 4-D for a GIF, or the first frame 3-D without expandAnimations", () => {
    const all = tf.node.decodeImage(file("anim.gif"));
    expect(all.shape).toEqual([3, 9, 13, 3]);
    const first = tf.node.decodeImage(file("anim.gif"), 0, "int32", false);
    expect(first.shape).toEqual([9, 13, 3]);
    expectExact(first, "anim.gif#0", "RGB");
  });
});

describe("encodePng and encodeJpeg", () => {
  it("encodePng round-trips 1 to 4 channels exactly, at every compression level", async () => {
    for (const name of ["grey8.png", "greyalpha8.png", "rgb8.png", "rgba8.png"]) {
      const image = tf.node.decodePng(file(name));
      for (const compression of [-1, 0, 1, 9]) {
        const png = await tf.node.encodePng(image, compression);
        expect(png).toBeInstanceOf(Uint8Array);
        expect(tf.node.getImageType(png)).toBe(tf.node.ImageType.PNG);
        expect(Array.from(tf.node.decodePng(png).dataSync())).toEqual(Array.from(image.dataSync()));
      }
    }
  });

  it("encodeJpeg round-trips within JPEG loss, quality trading size for fidelity", async () => {
    const image = tf.node.decodePng(file("rgb8.png"));
    const fine = await tf.node.encodeJpeg(image, "", 100);
    const coarse = await tf.node.encodeJpeg(image, "", 10);
    expect(tf.node.getImageType(fine)).toBe(tf.node.ImageType.JPEG);
    expect(coarse.length).toBeLessThan(fine.length);
    const back = tf.node.decodeJpeg(fine);
    expect(back.shape).toEqual([9, 13, 3]);
    const errorFine = meanDifference(back.dataSync(), image.dataSync());
    const errorCoarse = meanDifference(tf.node.decodeJpeg(coarse).dataSync(), image.dataSync());
    expect(errorFine).toBeLessThan(errorCoarse);
    expect(errorFine).toBeLessThan(12);
  });

  it("encodeJpeg writes grey images (as three equal channels) and converts by format", async () => {
    const grey = tf.node.decodePng(file("grey8.png"));
    const back = tf.node.decodeJpeg(await tf.node.encodeJpeg(grey), 1);
    expect(back.shape).toEqual([9, 13, 1]);
    expect(meanDifference(back.dataSync(), grey.dataSync())).toBeLessThan(4);
    const asGrey = tf.node.decodeJpeg(await tf.node.encodeJpeg(tf.node.decodePng(file("rgb8.png")), "grayscale"), 3);
    const [r, g, b] = tf.split(asGrey, 3, 2).map((t) => Array.from(t.dataSync()));
    expect(r).toEqual(g);
    expect(g).toEqual(b);
  });

  it("refuses tensors that are not images", async () => {
    await expect(tf.node.encodePng(tf.zeros([2, 2]) as unknown as tf.Tensor3D)).rejects.toThrow(/expected a 3-D image/);
    await expect(tf.node.encodePng(tf.zeros([2, 2, 5]) as tf.Tensor3D)).rejects.toThrow(/1, 2, 3, 4 channels, got 5/);
    await expect(tf.node.encodeJpeg(tf.zeros([2, 2, 4]) as tf.Tensor3D)).rejects.toThrow(/1, 3 channels, got 4/);
    await expect(tf.node.encodePng(tf.zeros([2, 2, 3]) as tf.Tensor3D, 12)).rejects.toThrow(/compression/);
  });
});

describe("bad bytes", () => {
  it("an unknown format, a truncated or corrupt file each get a clear error", () => {
    expect(() => tf.node.decodeImage(new Uint8Array([1, 2, 3, 4, 5]))).toThrow(
      /Expected image \(BMP, JPEG, PNG, or GIF\), but got unsupported image type \(first bytes: 01 02 03 04\)/,
    );
    expect(() => tf.node.decodeImage("cat.png" as unknown as Uint8Array)).toThrow(/Uint8Array/);
    const png = file("rgb8.png");
    expect(() => tf.node.decodePng(png.subarray(0, 60))).toThrow(/decodePng: the file is truncated/);
    const corrupt = png.slice();
    corrupt[50] = corrupt[50]! ^ 0xff;
    expect(() => tf.node.decodePng(corrupt)).toThrow(/decodePng: the IDAT chunk is corrupt \(CRC mismatch\)/);
    expect(() => tf.node.decodePng(file("photo.jpg"))).toThrow(/decodePng: not a PNG file/);
    expect(() => tf.node.decodeJpeg(file("rgb8.png"))).toThrow(/decodeJpeg: not a JPEG file/);
    expect(() => tf.node.decodeJpeg(file("photo.jpg").subarray(0, 200))).toThrow(/decodeJpeg: invalid JPEG data/);
    expect(() => tf.node.decodeGif(file("anim.gif").subarray(0, 5))).toThrow(/decodeGif: invalid GIF data/);
    expect(() => tf.node.decodeBmp(file("rgb24.bmp").subarray(0, 100))).toThrow(/decodeBmp: the file is truncated/);
  });
});
