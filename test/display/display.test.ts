import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  clear_output,
  clearOutput,
  display,
  encodePng,
  setDisplaySink,
  toMimeBundle,
  tslab,
} from "../../src/display/index.js";
import { recordingSink } from "./helpers.js";

let sink: ReturnType<typeof recordingSink>;
beforeEach(() => {
  sink = recordingSink();
  setDisplaySink(sink);
});
afterEach(() => {
  setDisplaySink(undefined);
});

const png = encodePng(new Uint8Array([0, 255, 255, 0]), 2, 2, 1);

describe("toMimeBundle", () => {
  it("gives text/plain for plain values", () => {
    expect(toMimeBundle(42)).toEqual({ "text/plain": "42" });
    expect(toMimeBundle("hi")).toEqual({ "text/plain": "'hi'" });
    expect(toMimeBundle({ a: [1, 2] })["text/plain"]).toContain("a: [ 1, 2 ]");
  });

  it("uses the Jupyter.display hook (Deno's convention), adding text/plain and parsing JSON strings", () => {
    const v = {
      [Symbol.for("Jupyter.display")]: () => ({ "text/html": "<b>x</b>", "application/vnd.custom+json": '{"a":1}' }),
    };
    const b = toMimeBundle(v);
    expect(b["text/html"]).toBe("<b>x</b>");
    expect(b["application/vnd.custom+json"]).toEqual({ a: 1 });
    expect(typeof b["text/plain"]).toBe("string");
    const bad = { [Symbol.for("Jupyter.display")]: () => "nope" };
    expect(() => toMimeBundle(bad)).toThrow(/must return a mime bundle/);
    const badJson = { [Symbol.for("Jupyter.display")]: () => ({ "application/json": "{oops" }) };
    expect(() => toMimeBundle(badJson)).toThrow(/must be JSON/);
  });
});

describe("display", () => {
  it("sends one bundle per call, without a handle unless asked", () => {
    expect(display(1)).toBeUndefined();
    expect(sink.calls).toEqual([{ kind: "display", data: { "text/plain": "1" }, metadata: {}, id: undefined }]);
  });

  it("typed helpers produce the right mime types, always with text/plain", () => {
    display.html("<i>hi</i>");
    display.svg('<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"></svg>');
    display.png(png);
    display.png(png.toString("base64"));
    display.png(`data:image/png;base64,${png.toString("base64")}`);
    display.markdown("# Title");
    display.latex("$x^2$");
    display.json({ a: [1, 2] });
    display.text("plain");
    const mimes = sink.calls.map((c) => (c.kind === "display" ? Object.keys(c.data).sort().join(",") : ""));
    expect(mimes).toEqual([
      "text/html,text/plain",
      "image/svg+xml,text/html,text/plain",
      "image/png,text/plain",
      "image/png,text/plain",
      "image/png,text/plain",
      "text/markdown,text/plain",
      "text/latex,text/plain",
      "application/json,text/plain",
      "text/plain",
    ]);
    const pngs = sink.calls.slice(2, 5).map((c) => (c.kind === "display" ? c.data["image/png"] : undefined));
    expect(new Set(pngs).size).toBe(1);
    expect(pngs[0]).toBe(png.toString("base64"));
    const svgCall = sink.calls[1]!;
    expect(svgCall.kind === "display" && svgCall.data["text/html"]).toBe(
      `<img src="data:image/svg+xml;base64,${Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"></svg>').toString("base64")}" width="1" height="1" alt="SVG image">`,
    );
    const json = sink.calls[7]!;
    expect(json.kind === "display" && json.data["application/json"]).toEqual({ a: [1, 2] });
    expect(json.kind === "display" && json.data["text/plain"]).toContain('"a"');
  });

  it("rejects bad input with clear messages", () => {
    expect(() => display.png(new Uint8Array([1, 2, 3]))).toThrow(/not a PNG/);
    expect(() => display.png("***")).toThrow(/base64/);
    expect(() => display.svg("<div/>")).toThrow(/not an SVG/);
    expect(() => display.html(3 as never)).toThrow(/expected a string/);
    expect(() => display.tensor([1, 2])).toThrow(/expected a tensor/);
    expect(() => display.summary({} as never)).toThrow(/expected a model/);
  });

  it("returns a handle with an id whose update replaces the output in place", () => {
    const h = display("first", { id: true });
    h.update("second");
    const named = display.html("<b>a</b>", { id: "my-id" });
    named.update({ [Symbol.for("Jupyter.display")]: () => ({ "text/html": "<b>b</b>" }) });
    display.update("my-id", "third");
    expect(sink.calls[0]).toMatchObject({ kind: "display", id: h.id });
    expect(sink.calls[1]).toMatchObject({ kind: "update", id: h.id, data: { "text/plain": "'second'" } });
    expect(named.id).toBe("my-id");
    expect(toMimeBundle(named)).toEqual({ "text/plain": "DisplayHandle(my-id)" });
    expect(sink.calls[3]).toMatchObject({ kind: "update", id: "my-id", data: { "text/html": "<b>b</b>" } });
    expect(sink.calls[4]).toMatchObject({ kind: "update", id: "my-id", data: { "text/plain": "'third'" } });
  });

  it("clears output (clearOutput and clear_output)", () => {
    clearOutput(true);
    clear_output();
    display.clear();
    expect(sink.calls).toEqual([
      { kind: "clear", wait: true },
      { kind: "clear", wait: false },
      { kind: "clear", wait: false },
    ]);
  });

  it("prints text when no sink is installed", () => {
    setDisplaySink(undefined);
    const lines: unknown[] = [];
    const log = console.log;
    console.log = (...a: unknown[]) => lines.push(...a);
    try {
      display([1, 2]);
    } finally {
      console.log = log;
    }
    expect(lines).toEqual(["[ 1, 2 ]"]);
  });
});

describe("tslab compatibility", () => {
  it("tslab.display.* sends the same mime types", () => {
    tslab.display.html("<b>x</b>");
    tslab.display.markdown("*m*");
    tslab.display.png(png);
    tslab.display.jpeg(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0]));
    tslab.display.svg('<svg xmlns="http://www.w3.org/2000/svg"></svg>');
    tslab.display.latex("x");
    tslab.display.text("t");
    tslab.display.raw("application/json", '{"k":2}');
    const kinds = sink.calls.map((c) =>
      c.kind === "display" ? (Object.keys(c.data).filter((k) => k !== "text/plain")[0] ?? "text/plain") : c.kind,
    );
    expect(kinds).toEqual([
      "text/html",
      "text/markdown",
      "image/png",
      "image/jpeg",
      "image/svg+xml",
      "text/latex",
      "text/plain",
      "application/json",
    ]);
    const raw = sink.calls[7]!;
    expect(raw.kind === "display" && raw.data["application/json"]).toEqual({ k: 2 });
  });

  it("newDisplay overwrites one output", () => {
    const d = tslab.newDisplay();
    d.text("1");
    d.text("2");
    expect(sink.calls[0]).toMatchObject({ kind: "display", data: { "text/plain": "1" } });
    expect(sink.calls[1]).toMatchObject({ kind: "update", data: { "text/plain": "2" } });
    expect(
      sink.calls[1]!.kind === "update" && sink.calls[0]!.kind === "display" && sink.calls[1]!.id === sink.calls[0]!.id,
    ).toBe(true);
  });
});
