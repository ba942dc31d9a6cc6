import { describe, expect, it } from "vitest";
import {
  Figure,
  figureToSvg,
  PLOTLY_MIME,
  plot,
  toMimeBundle,
  resetPlotlySession,
  type FigureSpec,
} from "../../src/display/index.js";
import { niceTicks, tickLabels } from "../../src/display/ticks.js";
import { colorScale } from "../../src/display/colors.js";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { checkMarkup, checkSvg, decodePng, fakeTensor, svgFromImg } from "./helpers.js";

const xs = Array.from({ length: 50 }, (_, i) => i / 5);

function texts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);
}

describe("nice ticks", () => {
  it("uses steps of 1, 2 or 5 × 10^k inside the range", () => {
    for (const [lo, hi] of [
      [0, 1],
      [-3.7, 12.2],
      [0.001, 0.0042],
      [1e6, 7.3e6],
      [-1, -0.2],
    ] as [number, number][]) {
      const t = niceTicks(lo, hi, 6);
      expect(t.length).toBeGreaterThanOrEqual(2);
      expect(t.every((v) => v >= lo - 1e-12 && v <= hi + 1e-12)).toBe(true);
      const step = t[1]! - t[0]!;
      const mant = step / Math.pow(10, Math.floor(Math.log10(step) + 1e-9));
      expect([1, 2, 5, 10].some((m) => Math.abs(mant - m) < 1e-6)).toBe(true);
    }
  });
  it("labels without floating point noise", () => {
    expect(tickLabels(niceTicks(0, 0.3, 3))).toEqual(["0.0", "0.1", "0.2", "0.3"]);
    expect(tickLabels([0, 2e6, 4e6])).toEqual(["0", "2e+6", "4e+6"]);
  });
});

describe("plot API → static SVG", () => {
  it("line chart: one path per series, title, axis labels, legend", () => {
    const fig = plot.line(
      [
        { x: xs, y: xs.map(Math.sin), name: "sin" },
        { x: xs, y: xs.map(Math.cos), name: "cos" },
      ],
      { title: "Waves", xLabel: "t", yLabel: "amp" },
    );
    const svg = fig.toSVG();
    const names = checkSvg(svg);
    expect(names.filter((n) => n === "path")).toHaveLength(2);
    const t = texts(svg);
    for (const s of ["Waves", "t", "amp", "sin", "cos"]) expect(t).toContain(s);
    expect(t).toContain("-1.0");
  });

  it("accepts tensors, typed arrays and matrices", () => {
    expect(plot.line(fakeTensor([4], Float32Array.from([1, 2, 3, 4]))).data[0]).toMatchObject({
      type: "scatter",
      y: [1, 2, 3, 4],
    });
    expect(plot.line(Float64Array.from([3, 1])).data[0]).toMatchObject({ y: [3, 1] });
    const m = plot.line(fakeTensor([3, 2], Float32Array.from([1, 2, 3, 4, 5, 6])));
    expect(m.data.map((t) => (t as { y: number[] }).y)).toEqual([
      [1, 3, 5],
      [2, 4, 6],
    ]);
    expect(() => plot.line("nope" as never)).toThrow(/expected numbers/);
  });

  it("bar chart draws one rect per bar with category labels", () => {
    const svg = plot.bar(["cat", "dog", "bird"], [3, 5, 2], { title: "Pets" }).toSVG();
    checkSvg(svg);
    const bars = [...svg.matchAll(/<rect [^>]*fill="#1f77b4"/g)];
    expect(bars).toHaveLength(3);
    expect(texts(svg)).toEqual(expect.arrayContaining(["cat", "dog", "bird", "Pets"]));
    expect(() => plot.bar(["a"], [1, 2])).toThrow(/1 labels but 2 values/);
    expect(plot.bar({ a: 1, b: 2 }).data[0]).toMatchObject({ x: ["a", "b"], y: [1, 2] });
  });

  it("histogram counts every value once", () => {
    const values = Array.from({ length: 1000 }, (_, i) => Math.sin(i) * 3);
    const fig = plot.histogram(values, { bins: 20 });
    const bar = fig.data[0] as { y: number[]; x: number[]; width: number };
    expect(bar.y.reduce((a, b) => a + b, 0)).toBe(1000);
    expect(bar.y).toHaveLength(20);
    checkSvg(fig.toSVG());
    expect(() => plot.histogram([NaN])).toThrow(/no finite values/);
    expect(() => plot.histogram([1, 2], { bins: 0 })).toThrow(/bins/);
  });

  it("scatter draws markers", () => {
    const svg = plot.scatter([1, 2, 3], [3, 1, 2]).toSVG();
    expect(checkSvg(svg).filter((n) => n === "circle")).toHaveLength(3);
    expect(() => plot.scatter([1, 2], { title: "x" } as never)).toThrow(/expected/);
  });

  it("heatmap is an embedded PNG with the matrix's size and a colour bar", () => {
    const z = [
      [0, 1, 2],
      [3, 4, 5],
    ];
    const svg = plot.heatmap(z, { title: "heat" }).toSVG();
    checkSvg(svg);
    const m = /xlink:href="data:image\/png;base64,([^"]+)"/.exec(svg)!;
    const png = decodePng(Buffer.from(m[1]!, "base64"));
    expect(png.width % 3).toBe(0);
    expect(png.height % 2).toBe(0);
    expect(png.width / 3).toBe(png.height / 2);
    expect(svg).toContain("<linearGradient");
    // Row 0 at the top (reversed y axis): the top-left pixel has the lowest value's colour (viridis dark).
    expect(png.pixels[0]).toBeLessThan(100);
    expect(() => plot.heatmap([[1, 2], [3]])).toThrow(/different lengths/);
  });

  it("the rdbu scale is plotly.js's own RdBu (low blue, high red), in the static chart too", () => {
    const source = readFileSync(createRequire(import.meta.url).resolve("plotly.js-cartesian-dist-min"), "utf8");
    const plotlyRdBu = JSON.parse(/RdBu:(\[\[.*?\]\])/.exec(source)![1]!.replace(/(^|[[,])\./g, "$10.")) as [
      number,
      string,
    ][];
    expect(colorScale("rdbu")).toEqual(plotlyRdBu);
    const svg = plot.heatmap([[0, 1]], { colorScale: "rdbu" }).toSVG();
    const m = /xlink:href="data:image\/png;base64,([^"]+)"/.exec(svg)!;
    const png = decodePng(Buffer.from(m[1]!, "base64"));
    const first = Array.from(png.pixels.subarray(0, 3));
    const last = Array.from(png.pixels.subarray(png.pixels.length - 3));
    expect(first[2]!).toBeGreaterThan(first[0]!); // low value: blue
    expect(last[0]!).toBeGreaterThan(last[2]!); // high value: red
  });

  it("image scaling follows dtype and range: bytes, 0..1, min–max, or vmin/vmax", () => {
    const greys = (fig: ReturnType<typeof plot.image>) => {
      const src = (fig.data[0] as { source: string }).source;
      return Array.from(decodePng(Buffer.from(src.split(",")[1]!, "base64")).pixels.filter((_, i) => i % 3 === 0));
    };
    // float data up to 37.5 is stretched, not read as dark bytes
    expect(greys(plot.image(fakeTensor([1, 3], Float32Array.from([0, 18.75, 37.5]))))).toEqual([0, 128, 255]);
    expect(greys(plot.image([[2.5, 5, 10]]))).toEqual([0, 85, 255]);
    // integer data within 0..255 is bytes
    expect(greys(plot.image(fakeTensor([1, 3], Int32Array.from([0, 18, 37]), "int32")))).toEqual([0, 18, 37]);
    expect(greys(plot.image([[0, 18, 37]]))).toEqual([0, 18, 37]);
    // a 0/1 integer mask is black and white
    expect(greys(plot.image(fakeTensor([1, 2], Int32Array.from([0, 1]), "int32")))).toEqual([0, 255]);
    // explicit black and white points, clipped
    expect(greys(plot.image([[0, 5, 10, 20]], { vmin: 0, vmax: 10 }))).toEqual([0, 128, 255, 255]);
    expect(() => plot.image([[1]], { vmin: NaN, vmax: 1 })).toThrow(/vmin and vmax/);
  });

  it("image from a [h, w] tensor keeps its pixels", () => {
    const t = fakeTensor([2, 3], Float32Array.from([0, 0.5, 1, 1, 0.5, 0]));
    const fig = plot.image(t);
    const src = (fig.data[0] as { source: string }).source;
    const png = decodePng(Buffer.from(src.split(",")[1]!, "base64"));
    expect(png).toMatchObject({ width: 3, height: 2, channels: 3 });
    expect(Array.from(png.pixels.filter((_, i) => i % 3 === 0))).toEqual([0, 128, 255, 255, 128, 0]);
    checkSvg(fig.toSVG());
    expect(() => plot.image(fakeTensor([2, 2, 2], new Float32Array(8)))).toThrow(/expected shape/);
  });

  it("subplots put each figure on its own axes with its title", () => {
    const a = plot.line([1, 2, 3], { title: "A" });
    const b = plot.bar([1, 2], { title: "B" });
    const c = plot.image(
      [
        [0, 1],
        [1, 0],
      ],
      { title: "C" },
    );
    const fig = plot.subplots([a, b, c], { cols: 2, title: "all" });
    expect(fig.data.map((t) => [t.xaxis, t.yaxis])).toEqual([
      ["x", "y"],
      ["x2", "y2"],
      ["x3", "y3"],
    ]);
    expect(fig.layout.xaxis2?.domain?.[0]).toBeGreaterThan(fig.layout.xaxis?.domain?.[1] ?? 1);
    expect(fig.layout.yaxis3?.scaleanchor).toBe("x3");
    const svg = fig.toSVG();
    checkSvg(svg);
    expect(texts(svg)).toEqual(expect.arrayContaining(["A", "B", "C", "all"]));
    expect(() => plot.subplots([])).toThrow(/no figures/);
  });

  it("renders plotly figures given directly, and NaN gaps in lines", () => {
    const spec: FigureSpec = { data: [{ type: "scatter", y: [1, NaN, 3, 4] }], layout: {} };
    const svg = figureToSvg(spec);
    checkSvg(svg);
    expect((/<path d="([^"]+)"/.exec(svg)![1]!.match(/M/g) ?? []).length).toBe(2);
  });
});

describe("figure bundle", () => {
  it("has text/plain, plotly JSON as an object, HTML with a static <img> and SVG", () => {
    resetPlotlySession();
    toMimeBundle(plot.line([0])); // first one carries plotly.js; look at a later one
    const bundle = toMimeBundle(plot.line([1, 2, 3], { title: "loss" }));
    expect(typeof bundle["text/plain"]).toBe("string");
    const spec = bundle[PLOTLY_MIME] as FigureSpec;
    expect(typeof spec).toBe("object");
    expect(spec.data[0]).toMatchObject({ type: "scatter", y: [1, 2, 3] });
    expect(spec.layout.title).toEqual({ text: "loss" });
    const html = bundle["text/html"] as string;
    checkMarkup(html, { html: true });
    const fromImg = svgFromImg(html);
    expect(fromImg).toBe(bundle["image/svg+xml"]);
    checkSvg(fromImg);
    expect(html).toMatch(/<script>[\s\S]*Plotly\.newPlot/);
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
    expect(html).not.toMatch(/require\(|requirejs/);
  });

  it("skips NaN and Infinity points as gaps in lines and scatters", () => {
    const figures = [
      plot.line([1, NaN, 3, 4, Infinity, 6]),
      plot.line([{ x: [0, NaN, 2, 3], y: [1, 2, 3, 4] }]),
      plot.scatter(fakeTensor([3], [1, NaN, 3]), [5, 2, -Infinity]),
      plot.scatter([NaN], [NaN]),
      plot.line(Array.from({ length: 20_000 }, (_, i) => (i % 500 === 0 ? NaN : Math.sin(i / 100)))),
    ];
    const svgs = figures.map((f) => toMimeBundle(f)["image/svg+xml"] as string);
    for (const svg of svgs) {
      checkSvg(svg);
      expect(svg).not.toMatch(/NaN|Infinity/);
    }
    const segments = (svg: string) => (svg.match(/<path d="([^"]*)" fill="none"/)?.[1] ?? "").split("M").length - 1;
    expect(segments(svgs[0]!)).toBe(3);
    expect(segments(svgs[1]!)).toBe(2);
    expect(svgs[2]!.match(/<circle /g)?.length).toBe(1);
    expect(segments(svgs[4]!)).toBeGreaterThanOrEqual(40);
  });

  it("stays bounded for long series (decimated)", () => {
    resetPlotlySession();
    toMimeBundle(plot.line([0]));
    const ys = Array.from({ length: 200_000 }, (_, i) => Math.sin(i / 1000) + (i % 7) / 100);
    const bundle = toMimeBundle(plot.line(ys));
    const size = JSON.stringify(bundle).length;
    expect(size).toBeLessThan(600_000);
    const y = (bundle[PLOTLY_MIME] as FigureSpec).data[0] as { y: number[] };
    const max = (a: number[]) => a.reduce((m, v) => Math.max(m, v), -Infinity);
    const min = (a: number[]) => a.reduce((m, v) => Math.min(m, v), Infinity);
    expect(y.y.length).toBeLessThanOrEqual(5000);
    expect(max(y.y)).toBe(max(ys));
    expect(min(y.y)).toBe(min(ys));
  });

  it("bounds big heatmaps and images (block averages, sampling)", () => {
    const big = Array.from({ length: 1000 }, (_, i) => Array.from({ length: 600 }, (_, j) => i + j));
    const fig = plot.heatmap(big);
    const z = (fig.data[0] as { z: number[][] }).z;
    expect(z.length).toBeLessThanOrEqual(200);
    expect(z[0]!.length).toBeLessThanOrEqual(200);
    // 1000×600 → 5×3 blocks; the first is the mean of i + j over i = 0..4, j = 0..2, i.e. 2 + 1.
    expect(z[0]![0]).toBeCloseTo(3, 6);
    expect(JSON.stringify(toMimeBundle(fig)).length).toBeLessThan(1_500_000);
    expect(() => plot.heatmap(big, { xLabels: big[0]!.map(String) })).toThrow(/at most 200/);
    const img = plot.image(fakeTensor([2000, 1000], new Float32Array(2_000_000)));
    const src = (img.data[0] as { source: string }).source;
    const png = decodePng(Buffer.from(src.split(",")[1]!, "base64"));
    expect(Math.max(png.width, png.height)).toBeLessThanOrEqual(512);
  });

  it("rejects bad options clearly", () => {
    expect(() => plot.line([1], { width: 5 })).toThrow(/width/);
    expect(() => plot.heatmap([[1]], { colorScale: "rainbow" as never })).toThrow(/colorScale/);
    expect(() => new Figure({} as FigureSpec)).toThrow(/expected/);
  });
});
