import { describe, expect, it } from "vitest";
import {
  isModelLike,
  modelBundle,
  modelSummaryHtml,
  modelSummaryText,
  paramCounts,
  toMimeBundle,
  type LayerLike,
} from "../../src/display/index.js";
import { checkMarkup, checkSvg, svgFromImg } from "./helpers.js";

function layer(
  name: string,
  cls: string,
  shape: (number | null)[],
  params: number,
  inputs: LayerLike[] = [],
  extra: Partial<LayerLike> = {},
): LayerLike {
  return {
    name,
    getClassName: () => cls,
    outputShape: shape,
    countParams: () => params,
    inboundNodes: inputs.length ? [{ inboundLayers: inputs }] : [],
    ...extra,
  };
}

function sequential() {
  const layers = [
    layer("dense_1", "Dense", [null, 32], 25120),
    layer("dropout_1", "Dropout", [null, 32], 0),
    layer("dense_2", "Dense", [null, 10], 330),
  ];
  return { name: "mlp", layers, getClassName: () => "Sequential", summary() {} };
}

function functional() {
  const input = layer("input_1", "InputLayer", [null, 16], 0);
  const a = layer("branch_a", "Dense", [null, 8], 136, [input]);
  const b = layer("branch_b", "Dense", [null, 8], 136, [input], { trainable: false });
  const cat = layer("concat", "Concatenate", [null, 16], 0, [a, b]);
  const out = layer("out", "Dense", [null, 1], 17, [cat]);
  return { name: "two_branches", layers: [input, a, b, cat, out], getClassName: () => "LayersModel" };
}

describe("model detection", () => {
  it("recognises TF.js-shaped models only", () => {
    expect(isModelLike(sequential())).toBe(true);
    expect(isModelLike({ layers: [1, 2], getClassName: () => "x" })).toBe(false);
    expect(isModelLike({ layers: [] })).toBe(false);
  });
});

describe("model summary", () => {
  it("lists layers, shapes, params and totals as HTML and text", () => {
    const m = sequential();
    const html = modelSummaryHtml(m);
    checkMarkup(html, { html: true });
    for (const s of ["dense_1", "Dropout", "[null,32]", "25,120", "330", "25,450"]) expect(html).toContain(s);
    const text = modelSummaryText(m);
    expect(text).toContain("Total params: 25,450");
    expect(
      text.split("\n").some((l) => l.startsWith("dense_2 (Dense)") && l.includes("[null,10]") && l.includes("330")),
    ).toBe(true);
  });

  it("counts non-trainable parameters and shows inputs of merges", () => {
    const m = functional();
    expect(paramCounts(m)).toEqual({ total: 289, trainable: 153, nonTrainable: 136 });
    expect(modelSummaryHtml(m)).toContain("branch_a, branch_b");
  });

  it("survives layers whose outputShape throws (not built)", () => {
    const l = layer("lazy", "Dense", [], 0);
    Object.defineProperty(l, "outputShape", {
      get: () => {
        throw new Error("not built");
      },
    });
    expect(modelSummaryText({ layers: [l], getClassName: () => "Sequential" })).toContain("?");
  });
});

describe("model diagram", () => {
  it("draws one box per layer and one arrow per connection (sequential: a chain)", () => {
    const b = modelBundle(sequential());
    const svg = b["image/svg+xml"] as string;
    const names = checkSvg(svg);
    expect(names.filter((n) => n === "polyline")).toHaveLength(2);
    for (const s of ["dense_1", "dropout_1", "dense_2", "25,120 params"]) expect(svg).toContain(s);
    expect(svgFromImg(b["text/html"] as string)).toBe(svg);
    expect(b["text/plain"]).toContain("Total params");
  });

  it("lays out branches (functional models) without overlaps", () => {
    const svg = toMimeBundle(functional())["image/svg+xml"] as string;
    expect(checkSvg(svg).filter((n) => n === "polyline")).toHaveLength(5);
    const boxes = [...svg.matchAll(/<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)" rx/g)].map((m) =>
      m.slice(1).map(Number),
    );
    expect(boxes).toHaveLength(5);
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const [x1, y1, w1, h1] = boxes[i]!;
        const [x2, y2, w2, h2] = boxes[j]!;
        const overlap = x1! < x2! + w2! && x2! < x1! + w1! && y1! < y2! + h2! && y2! < y1! + h1!;
        expect(overlap).toBe(false);
      }
    }
    // the two branches sit side by side (same layer of the layout)
    const ya = Number(/<rect x="[\d.]+" y="([\d.]+)"[^>]*\/><text[^>]*>branch_a/.exec(svg)?.[1]);
    const yb = Number(/<rect x="[\d.]+" y="([\d.]+)"[^>]*\/><text[^>]*>branch_b/.exec(svg)?.[1]);
    expect(ya).toBe(yb);
    const xa = Number(/<rect x="([\d.]+)"[^>]*\/><text[^>]*>branch_a/.exec(svg)?.[1]);
    const xb = Number(/<rect x="([\d.]+)"[^>]*\/><text[^>]*>branch_b/.exec(svg)?.[1]);
    expect(xa).toBeLessThan(xb); // model order kept
    expect(svg).toContain("136 params (frozen)");
  });

  it("includes input layers reachable only through inboundNodes", () => {
    const input = layer("hidden_input", "InputLayer", [null, 4], 0);
    const d = layer("d", "Dense", [null, 2], 10, [input]);
    const svg = modelBundle({ layers: [d], getClassName: () => "LayersModel" })["image/svg+xml"] as string;
    expect(svg).toContain("hidden_input");
  });
});

describe("very deep models", () => {
  it("are shown as their summary table instead of a diagram", () => {
    const layers: LayerLike[] = [];
    for (let i = 0; i < 200; i++) layers.push(layer(`l${i}`, "Dense", [null, 4], 20, i ? [layers[i - 1]!] : []));
    const b = toMimeBundle({ layers, getClassName: () => "LayersModel" });
    expect(b["image/svg+xml"]).toBeUndefined();
    expect(b["text/html"]).toContain("<table");
    expect(b["text/html"]).toContain("l199");
    expect(b["text/plain"]).toContain("Total params: 4,000");
  });
});

describe("training histories and objects that carry a model", () => {
  function history() {
    class History {
      epoch = [0, 1, 2];
      history = { loss: [2.5, 0.75, 1.25], acc: [0.5, 0.875, 0.75] };
      params = { epochs: 3, samples: 100 };
      model = {
        ...sequential(),
        extra: { deep: { deeper: { deepest: Array.from({ length: 500 }, (_, i) => ({ i })) } } },
      };
    }
    return new History();
  }

  it("a History-like value shows a small table of each metric's first, last and best value", () => {
    const b = toMimeBundle(history());
    const text = b["text/plain"] as string;
    expect(text.split("\n")[0]).toBe("History: 3 epochs");
    // Best epochs are 1-based, as the training panel numbers them.
    expect(text).toMatch(/^loss\s+2\.5\s+1\.25\s+0\.75\s+2$/m);
    expect(text).toMatch(/^acc\s+0\.5\s+0\.75\s+0\.875\s+2$/m);
    expect(text.split("\n").length).toBe(4);
    checkMarkup(b["text/html"] as string);
    expect(b["text/html"]).toContain("<table");
  });

  it("plain text of an object holding a model stays short, naming the model in one line", () => {
    const callback = { name: "logger", model: history().model, seen: [1, 2, 3] };
    const text = toMimeBundle(callback)["text/plain"] as string;
    expect(text).toContain("[Sequential 'mlp': 3 layers, 25,450 params]");
    expect(text.split("\n").length).toBeLessThan(10);
    expect(toMimeBundle({ a: { b: { c: { d: 1 } } } })["text/plain"]).toContain("[Object]");
  });
});
