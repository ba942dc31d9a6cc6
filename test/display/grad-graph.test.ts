import { describe, expect, it } from "vitest";
import { gradientGraph, gradientGraphSvg, toMimeBundle, type TracedOp } from "../../src/display/index.js";
import { checkSvg } from "./helpers.js";

const ops: TracedOp[] = [
  {
    id: 1,
    name: "MatMul",
    inputs: [
      { id: "x", shape: [4, 3], name: "x" },
      { id: "w", shape: [3, 1], name: "w", variable: true },
    ],
    outputs: [{ id: 10, shape: [4, 1] }],
  },
  {
    id: 2,
    name: "Add",
    inputs: [
      { id: 10, shape: [4, 1] },
      { id: "b", shape: [1], name: "b", variable: true, grad: 0.5 },
    ],
    outputs: [{ id: 11, shape: [4, 1] }],
  },
  { id: 3, name: "Square", inputs: [{ id: 11, shape: [4, 1] }], outputs: [{ id: 12, shape: [4, 1] }] },
  {
    id: 4,
    name: "Mean",
    inputs: [{ id: 12, shape: [4, 1] }],
    outputs: [{ id: 13, shape: [], name: "loss", value: 0.25 }],
  },
  { id: 5, name: "Log", inputs: [{ id: "x", shape: [4, 3] }], outputs: [{ id: 14, shape: [4, 3] }] },
];

const RED = 'stroke="#d62728"';

describe("gradient graph", () => {
  it("draws every op and leaf, highlighting the path from the loss to the variables", () => {
    const { svg } = gradientGraphSvg({ ops, loss: 13 });
    const names = checkSvg(svg);
    for (const s of ["MatMul", "Add", "Square", "Mean", "Log", ">w<", ">b<", ">x<", "grad 0.5", "value 0.25"])
      expect(svg).toContain(s);
    // x→MatMul, w→MatMul, MatMul→Add, b→Add, Add→Square, Square→Mean, x→Log
    expect(names.filter((n) => n === "polyline")).toHaveLength(7);
    const redEdges = [...svg.matchAll(/<polyline[^>]*stroke="#d62728"/g)];
    // w→MatMul, MatMul→Add, b→Add, Add→Square, Square→Mean
    expect(redEdges).toHaveLength(5);
    const opBox = (name: string) => new RegExp(`<rect [^>]*(stroke="[^"]+")[^>]*/><text[^>]*>${name}<`).exec(svg)?.[1];
    expect(opBox("Square")).toBe(RED);
    expect(opBox("Mean")).toBe('stroke="#2ca02c"'); // the op making the output (the loss): green
    expect(svg).toContain("→ [] = loss");
    expect(opBox("Log")).not.toBe(RED);
    // x is an input (blue), w and b variables (red).
    const leafBox = (name: string) =>
      new RegExp(`<rect [^>]*(stroke="[^"]+")[^>]*/><text[^>]*>${name}<`).exec(svg)?.[1];
    expect(leafBox("x")).toBe('stroke="#1f77b4"');
    expect(leafBox("w")).toBe('stroke="#c0504d"');
    expect(svg).toContain(">input [4,3]<");
    expect(svg).toContain("gradient of loss → 2 variables");
  });

  it("accepts tf.trace output (op/output entries with onGradientPath) and shows itself", () => {
    const entries = [
      {
        op: "BatchMatMul",
        inputs: [
          { id: 1, shape: [2, 2] },
          { id: 2, shape: [2, 1] },
        ],
        output: { id: 3, shape: [2, 1] },
        onGradientPath: true,
      },
      { op: "Exp", inputs: [{ id: 1, shape: [2, 2] }], output: { id: 4, shape: [2, 2] }, onGradientPath: false },
      { op: "Sum", inputs: [{ id: 3, shape: [2, 1] }], output: { id: 5, shape: [] }, onGradientPath: true },
    ];
    const bundle = toMimeBundle({ result: { id: 5 }, ops: entries });
    const svg = bundle["image/svg+xml"] as string;
    checkSvg(svg);
    expect(svg).toContain("gradient path: 2 of 3 ops");
    expect(bundle["text/plain"]).toContain("BatchMatMul");
    expect(bundle["text/html"]).toMatch(/^<img src="data:image\/svg\+xml;base64,/);
    const named = gradientGraphSvg(entries, { variables: [{ id: 2, name: "weights" }] }).svg;
    expect(named).toContain("weights");
    expect(named).toContain("1 variable");
  });

  it("explains bad input", () => {
    expect(() => gradientGraph({ ops: [{ id: 1 }] } as never)).toThrow(/each op needs/);
    expect(() => gradientGraphSvg({ ops, loss: 999 })).toThrow(/loss tensor 999/);
  });
});

describe("huge traces", () => {
  it("fall back to text when displayed, and explain when drawn explicitly", () => {
    const entries = Array.from({ length: 500 }, (_, i) => ({
      op: "Add",
      inputs: [{ id: i, shape: [1] }],
      output: { id: i + 1, shape: [1] },
    }));
    const b = toMimeBundle({ ops: entries });
    expect(b["image/svg+xml"]).toBeUndefined();
    expect(b["text/plain"]).toContain("too many to draw");
    expect(() => gradientGraphSvg(entries)).toThrow(/too many to draw/);
  });
});

describe("reshapes in a gradient graph", () => {
  it("folds pure reshapes around a product into labelled edges, keeping the rest", async () => {
    const tf = await import("../../src/tf.js");
    const x = tf.ones([4, 3]);
    const w = tf.variable(tf.ones([3, 2]));
    const traced = tf.trace(
      () =>
        x
          .reshape([1, 4, 3])
          .matMul(w.reshape([1, 3, 2]))
          .sum(),
      { sources: [w] },
    );
    const reshapes = traced.ops.filter((o) => o.op === "Reshape").length;
    expect(reshapes).toBeGreaterThan(1);
    const svg = toMimeBundle(traced)["image/svg+xml"] as string;
    checkSvg(svg);
    const boxes = [...svg.matchAll(/<text[^>]*>(Reshape|BatchMatMul|Sum)</g)].map((m) => m[1]);
    // Only a reshape that is not feeding one op (here: of the loss itself) stays a box.
    expect(boxes.filter((b) => b === "Reshape").length).toBeLessThan(reshapes);
    expect(boxes).toContain("BatchMatMul");
    expect(svg).toContain("[3,2] → [1,3,2]");
    expect(svg).toContain("[4,3] → [1,4,3]");
    expect(svg).toMatch(/reshapes? drawn as edges/);
    // the text listing still names every op
    expect((toMimeBundle(traced)["text/plain"] as string).match(/Reshape/g)?.length).toBe(reshapes);
  });
});

describe("tf.trace of a real computation", () => {
  it("names the variables and marks them, the input and the output", async () => {
    const tf = await import("../../src/runtime/index.js");
    const { toMimeBundle } = await import("../../src/display/index.js");
    const w = tf.variable(tf.ones([3, 1]), true, "weights");
    const x = tf.ones([2, 3]);
    const traced = tf.trace(() => tf.sum(tf.square(tf.matMul(x, w))), { sources: [w] });
    const svg = Buffer.from(
      /data:image\/svg\+xml;base64,([^"]+)/.exec(toMimeBundle(traced)["text/html"] as string)![1]!,
      "base64",
    ).toString();
    expect(traced.ops.flatMap((o) => o.inputs).find((i) => i.id === w.id)).toMatchObject({
      name: "weights",
      variable: true,
    });
    expect(svg).toContain(">weights<");
    expect(svg).toContain(">variable [3,1]<");
    expect(svg).toMatch(/>input [0-9]+</);
    expect(svg).toContain('stroke="#2ca02c"');
    tf.dispose([w, x]);
  });
});
