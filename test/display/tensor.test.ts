import { describe, expect, it } from "vitest";
import { isTensorLike, tensorBundle, tensorImageGrid, tensorText, toMimeBundle } from "../../src/display/index.js";
import { checkMarkup, checkSvg, decodePng, fakeTensor } from "./helpers.js";

describe("tensor detection", () => {
  it("is structural: shape, dtype, dataSync()", () => {
    expect(isTensorLike(fakeTensor([2], [1, 2]))).toBe(true);
    expect(isTensorLike({ shape: [2], dtype: "float32" })).toBe(false);
    expect(isTensorLike({ shape: [-1], dtype: "float32", dataSync: () => [] })).toBe(false);
    expect(isTensorLike([1, 2])).toBe(false);
  });
});

describe("tensor text", () => {
  it("uses the tensor's own toString when it has one", () => {
    const t = { ...fakeTensor([2], [1, 2]), toString: () => "Tensor\n    [1, 2]" };
    expect(toMimeBundle(t)["text/plain"]).toBe("Tensor\n    [1, 2]");
  });

  it("keeps text/plain bounded even when toString is not", () => {
    const t = { ...fakeTensor([100_000], new Float32Array(100_000)), toString: () => "0, ".repeat(100_000) };
    expect((toMimeBundle(t)["text/plain"] as string).length).toBeLessThan(25_000);
  });

  it("elides the middle of long dimensions", () => {
    const text = tensorText(
      fakeTensor(
        [20, 30],
        Float32Array.from({ length: 600 }, (_, i) => i),
      ),
    );
    expect(text.split("\n")[0]).toBe("Tensor float32 [20, 30]");
    expect(text).toContain("[0, 1, 2, ..., 27, 28, 29]");
    expect(text).toContain("[570, 571, 572, ..., 597, 598, 599]");
    expect(text).not.toContain("300");
    expect(text.split("\n")).toHaveLength(1 + 7);
  });
});

describe("tensor table", () => {
  it("is a plain <table> with inline colours and readable numbers", () => {
    const t = fakeTensor([2, 3], Float32Array.from([-1.5, 0, 2, 3.25, 4, 1e-7]));
    const b = tensorBundle(t);
    const html = b["text/html"] as string;
    const names = checkMarkup(html, { html: true });
    expect(names).not.toContain("style");
    expect(names).not.toContain("script");
    expect(names.filter((n) => n === "td")).toHaveLength(6);
    for (const s of [">-1.5<", ">0<", ">3.25<", ">1e-7<"]) expect(html).toContain(s);
    expect(html).toMatch(/<td style="[^"]*background:#[0-9a-f]{6};color:#(000|fff)"/);
    expect(typeof b["text/plain"]).toBe("string");
  });

  it("honours colorScale: none and rejects unknown scales", () => {
    const t = fakeTensor([2], [1, 2]);
    expect(tensorBundle(t, { colorScale: "none" })["text/html"]).not.toContain("background");
    expect(tensorBundle(t, { colorScale: "viridis" })["text/html"]).toContain("background");
    expect(() => tensorBundle(t, { colorScale: "jet" as never })).toThrow(/unknown colorScale/);
  });

  it("shows strings and scalars", () => {
    const s = tensorBundle(fakeTensor([2], ["a<b", "c"], "string"));
    expect(s["text/html"]).toContain("&quot;a&lt;b&quot;");
    checkMarkup(s["text/html"] as string, { html: true });
    expect(tensorBundle(fakeTensor([], [7]))["text/html"]).toContain(">7<");
  });
});

describe("image-shaped tensors", () => {
  it("[n, h, w] shows as a grid PNG holding every image", () => {
    const n = 5;
    const t = fakeTensor(
      [n, 8, 8],
      Float32Array.from({ length: n * 64 }, (_, i) => (Math.floor(i / 64) % 2 === 0 ? 1 : 0)),
    );
    const b = tensorBundle(t);
    expect(Object.keys(b).sort()).toEqual(["image/png", "text/html", "text/plain"]);
    const png = decodePng(Buffer.from(b["image/png"] as string, "base64"));
    const grid = tensorImageGrid(t);
    expect(png.width).toBe(grid.width);
    expect(grid.shown).toBe(5);
    // white (image 0) and black (image 1) pixels both present
    expect(png.pixels.includes(255)).toBe(true);
    expect(png.pixels.includes(0)).toBe(true);
    checkMarkup(b["text/html"] as string, { html: true });
    expect(b["text/plain"]).toContain("5 images");
  });

  it("float images whose max is between 1 and 255 are stretched, not read as dark bytes", () => {
    const t = fakeTensor(
      [1, 4, 4],
      Float32Array.from({ length: 16 }, (_, i) => (i === 0 ? 37.5 : 0)),
    );
    const png = decodePng(tensorImageGrid(t).png);
    expect(Math.max(...png.pixels)).toBe(255);
    const ints = fakeTensor(
      [1, 4, 4],
      Int32Array.from({ length: 16 }, (_, i) => (i === 0 ? 37 : 0)),
      "int32",
    );
    const bytes = decodePng(tensorImageGrid(ints).png);
    expect(bytes.pixels.filter((v) => v !== 200 && v !== 0)[0]).toBe(37);
  });

  it("[n, h, w, 3] keeps colours, and big batches are capped", () => {
    const t = fakeTensor(
      [100, 4, 4, 3],
      Float32Array.from({ length: 100 * 48 }, (_, i) => (i % 3 === 0 ? 255 : 0)),
    );
    const g = tensorImageGrid(t, 16);
    expect(g).toMatchObject({ shown: 16, total: 100 });
    const png = decodePng(g.png);
    expect(png.pixels.length).toBe(png.width * png.height * 3);
    // The first pixel that is not the grey gap belongs to image 0: pure red.
    let i = 0;
    while (i < png.pixels.length && png.pixels[i] === 200 && png.pixels[i + 1] === 200) i += 3;
    expect(Array.from(png.pixels.subarray(i, i + 3))).toEqual([255, 0, 0]);
    expect(tensorBundle(t)["text/plain"]).toContain("first 64 of 100 images");
  });
});

describe("large images", () => {
  it("are sampled down so the grid stays small", () => {
    const t = fakeTensor([3, 1024, 1024], new Float32Array(3 * 1024 * 1024).fill(0.5));
    const b = tensorBundle(t);
    expect((b["image/png"] as string).length).toBeLessThan(100_000);
    const png = decodePng(Buffer.from(b["image/png"] as string, "base64"));
    expect(png.width).toBeLessThanOrEqual(1100);
    expect(png.pixels[png.width * 3 * 10 + 30]).toBe(128);
  });
});

describe("large tensors", () => {
  it("show a summary with statistics and a histogram instead of all values", () => {
    const values = Float32Array.from({ length: 100_000 }, (_, i) => (i % 100) / 10);
    const b = tensorBundle(fakeTensor([1000, 100], values));
    const html = b["text/html"] as string;
    checkMarkup(html, { html: true });
    expect(html).toContain("min");
    expect(html).toContain(">9.9<");
    expect(html).toContain(">4.95<");
    const svg = Buffer.from(/data:image\/svg\+xml;base64,([^"]+)/.exec(html)![1]!, "base64").toString();
    checkSvg(svg);
    expect(JSON.stringify(b).length).toBeLessThan(20_000);
    expect(b["text/plain"]).toContain("mean 4.95");
  });
});

describe("display precision", () => {
  it("display.options({ precision }) changes the digits of tables and text until reset; per-call options win", async () => {
    const { display, tensorBundle } = await import("../../src/display/index.js");
    const t = fakeTensor([2], [1.23456789, -0.000123456789]);
    expect(tensorBundle(t)["text/html"]).toContain(">1.235<");
    try {
      expect(display.options({ precision: 8 })).toEqual({ precision: 8 });
      const b = tensorBundle(t);
      expect(b["text/html"]).toContain(">1.2345679<");
      expect(b["text/html"]).toContain(">-1.2345679e-4<");
      expect(b["text/plain"]).toBe("Tensor float32 [2]\n[1.2345679, -1.2345679e-4]");
      expect(tensorBundle(t, { precision: 2 })["text/html"]).toContain(">1.2<");
      expect(() => display.options({ precision: 0 })).toThrow(/precision must be a whole number/);
    } finally {
      display.options({ precision: undefined });
    }
    expect(tensorBundle(t)["text/html"]).toContain(">1.235<");
  });
});
