/**
 * The widget API in process, with comms that record what a frontend would receive: options and
 * clear errors, value assignment and observers, frontend updates with echo, selection values,
 * link, interact (controls from the spec, runs into the Output, coalesced), Output capture.
 */
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { display } from "../../src/display/display.js";
import { getDisplaySink, setDisplaySink } from "../../src/display/sink.js";
import { type Comm, type CommMessageHandler, type Comms, setComms } from "../../src/widgets/comms.js";
import * as widgets from "../../src/widgets/index.js";

interface Sent {
  comm: string;
  data: Record<string, unknown>;
  buffers: Uint8Array[];
}

/** Comms that record what is sent and let a test play the frontend. */
class RecordingComms implements Comms {
  opened: { id: string; target: string; data: Record<string, unknown>; metadata: Record<string, unknown> }[] = [];
  sent: Sent[] = [];
  private handlers = new Map<string, CommMessageHandler[]>();
  private n = 0;
  registerTarget() {}
  unregisterTarget() {}
  list() {
    return {};
  }
  open(target: string, data: unknown = {}, metadata: Record<string, unknown> = {}): Comm {
    const id = `m${++this.n}`;
    this.opened.push({ id, target, data: data as Record<string, unknown>, metadata });
    const comms = this;
    const handlers: CommMessageHandler[] = [];
    this.handlers.set(id, handlers);
    return {
      id,
      targetName: target,
      closed: false,
      send(d: unknown, buffers: Uint8Array[] = []) {
        comms.sent.push({ comm: id, data: d as Record<string, unknown>, buffers });
      },
      onMsg(h: CommMessageHandler) {
        handlers.push(h);
        return () => {};
      },
      onClose() {
        return () => {};
      },
      close() {
        (this as { closed: boolean }).closed = true;
      },
    };
  }
  /** Delivers a message from the frontend; resolves when the handlers settled. */
  async fromFrontend(id: string, data: unknown, buffers: Uint8Array[] = []): Promise<void> {
    await Promise.all((this.handlers.get(id) ?? []).map((h) => h(data, buffers)));
  }
  updatesTo(id: string) {
    return this.sent.filter((s) => s.comm === id && s.data.method === "update").map((s) => s.data.state);
  }
}

let comms: RecordingComms;
const displayed: Record<string, unknown>[] = [];
beforeEach(() => {
  comms = new RecordingComms();
  setComms(comms);
  displayed.length = 0;
  setDisplaySink({
    display: (data) => void displayed.push(data),
    update() {},
    clear() {},
    stream: (_name, text) => void displayed.push({ "text/plain": text }),
  });
});
afterEach(() => {
  setComms(undefined);
  setDisplaySink(undefined);
});

describe("widgets", () => {
  test("options become state; a wrong option or value is a clear error", () => {
    const s = new widgets.IntSlider({ value: 5, max: 10, description: "units", continuousUpdate: false });
    const state = comms.opened.at(-1)!.data.state as Record<string, unknown>;
    expect(state).toMatchObject({
      value: 5,
      max: 10,
      description: "units",
      continuous_update: false,
      _model_name: "IntSliderModel",
    });
    expect(s.continuousUpdate).toBe(false);
    expect(() => new widgets.IntSlider({ value: 2.5 })).toThrow(/value must be an integer/);
    expect(() => new widgets.IntSlider({ min: 5, max: 1 })).toThrow(/min \(5\) must not be above max \(1\)/);
    // @ts-expect-error: no such option
    expect(() => new widgets.IntSlider({ colour: "red" })).toThrow(/IntSlider has no option "colour"/);
    expect(() => new widgets.Dropdown({ options: ["a"], value: "b" })).toThrow(/"b" is not among the options/);
    expect(() => new widgets.HBox([1 as unknown as widgets.Widget])).toThrow(/children must be an array of widgets/);
  });

  test("assigning value sends one update and calls observers; the same value sends nothing", () => {
    const s = new widgets.FloatSlider({ value: 1, max: 10 });
    const seen: [unknown, unknown][] = [];
    s.observe(({ old, new: v }) => void seen.push([old, v]));
    s.value = 4;
    s.value = 4;
    expect(comms.updatesTo(s.modelId)).toEqual([{ value: 4 }]);
    expect(seen).toEqual([[1, 4]]);
    s.value = 50; // clamped to max, as ipywidgets does
    expect(s.value).toBe(10);
  });

  test("a frontend update is echoed, applied and observed, and not sent back; an observer's change is", async () => {
    const s = new widgets.IntSlider({ value: 1, max: 100 });
    s.observe(({ new: v }) => {
      if ((v as number) % 2 === 1) s.value = (v as number) + 1; // an observer that keeps values even
    });
    await comms.fromFrontend(s.modelId, { method: "update", state: { value: 6 }, buffer_paths: [] });
    expect(comms.sent.filter((m) => m.comm === s.modelId).map((m) => m.data)).toEqual([
      { method: "echo_update", state: { value: 6 }, buffer_paths: [] },
    ]);
    await comms.fromFrontend(s.modelId, { method: "update", state: { value: 7 }, buffer_paths: [] });
    expect(s.value).toBe(8);
    expect(comms.updatesTo(s.modelId)).toEqual([{ value: 8 }]);
  });

  test("an async observer keeps the frontend's message pending until it ends", async () => {
    const s = new widgets.IntSlider();
    let finished = false;
    s.observe(async () => {
      await new Promise((r) => setTimeout(r, 30));
      finished = true;
    });
    await comms.fromFrontend(s.modelId, { method: "update", state: { value: 3 }, buffer_paths: [] });
    expect(finished).toBe(true);
  });

  test("selection widgets: the frontend sends index, the kernel sees value and label", async () => {
    const d = new widgets.Dropdown<number>({
      options: [
        ["small", 4],
        ["big", 64],
      ],
      description: "units",
    });
    expect(comms.opened.at(-1)!.data.state).toMatchObject({ _options_labels: ["small", "big"], index: 0 });
    const values: unknown[] = [];
    d.observe(({ new: v }) => void values.push(v));
    await comms.fromFrontend(d.modelId, { method: "update", state: { index: 1 }, buffer_paths: [] });
    expect([d.value, d.label, values]).toEqual([64, "big", [64]]);
    d.value = 4;
    expect(comms.updatesTo(d.modelId)).toEqual([{ index: 0 }]);
  });

  test("Button clicks run onClick; Image bytes travel as buffers", async () => {
    const b = new widgets.Button({ description: "go" });
    let clicks = 0;
    b.onClick(() => void clicks++);
    await comms.fromFrontend(b.modelId, { method: "custom", content: { event: "click" } });
    expect(clicks).toBe(1);
    const img = new widgets.Image({ value: new Uint8Array([1, 2]) });
    img.value = new Uint8Array([3]);
    const sent = comms.sent.filter((m) => m.comm === img.modelId).at(-1)!;
    expect(sent.data).toEqual({ method: "update", state: {}, buffer_paths: [["value"]] });
    expect(Array.from(sent.buffers[0]!)).toEqual([3]);
  });

  test("link keeps two options equal; jslink makes a LinkModel for the frontend", () => {
    const a = new widgets.IntSlider({ value: 1 });
    const t = new widgets.IntText({ value: 9 });
    const unlink = widgets.link([a, "value"], [t, "value"]);
    expect(t.value).toBe(1);
    t.value = 5;
    expect(a.value).toBe(5);
    unlink();
    t.value = 6;
    expect(a.value).toBe(5);
    widgets.jslink([a, "value"], [t, "value"]);
    expect(comms.opened.at(-1)!.data.state).toMatchObject({
      _model_name: "LinkModel",
      source: [`IPY_MODEL_${a.modelId}`, "value"],
      target: [`IPY_MODEL_${t.modelId}`, "value"],
    });
  });

  test("Output.capture collects console, display and errors of sync and async code", async () => {
    const out = new widgets.Output();
    // The kernel's console sends text to a scoped sink that takes it (what `stream` is for).
    const print = (text: string) => getDisplaySink()!.stream!("stdout", text);
    out.capture(() => {
      print("one\n");
      print("two\n");
    });
    await out.capture(async () => {
      await new Promise((r) => setTimeout(r, 5));
      display({ [Symbol.for("Jupyter.display")]: () => ({ "text/plain": "shown" }) });
    });
    expect(() =>
      out.capture(() => {
        throw new Error("bad cell");
      }),
    ).toThrow("bad cell");
    print("outside\n");
    expect(displayed).toEqual([{ "text/plain": "outside\n" }]); // only what ran outside capture reached the cell
    expect(out.outputs.map((o) => o.output_type)).toEqual(["stream", "display_data", "error"]);
    expect(out.outputs[0]).toEqual({ output_type: "stream", name: "stdout", text: "one\ntwo\n" });
    expect(out.outputs[2]).toMatchObject({ ename: "Error", evalue: "bad cell" });
    await new Promise((r) => setTimeout(r, 80));
    const last = comms.updatesTo(out.modelId).at(-1) as { outputs: unknown[] };
    expect(last.outputs).toEqual(out.outputs);
  });

  test("interact builds controls from the spec, runs fn into its Output and re-runs on changes", async () => {
    const calls: unknown[] = [];
    const ui = widgets.interactive(
      ({ lr, units, act, bias }) => {
        calls.push([lr, units, act, bias]);
        return `${act}:${units}`;
      },
      { lr: [1e-4, 1e-1], units: [4, 64, 4], act: ["relu", "tanh"], bias: true },
    );
    const names = Object.fromEntries(Object.entries(ui.controls).map(([k, w]) => [k, w.constructor.name]));
    expect(names).toEqual({ lr: "FloatLogSlider", units: "IntSlider", act: "Dropdown", bias: "Checkbox" });
    await ui.update();
    expect(ui.result).toBe("relu:32");
    const units = ui.controls.units as widgets.IntSlider;
    units.value = 8;
    units.value = 12; // while the first re-run is in progress: coalesced into one more run
    await ui.update();
    expect(calls.at(-1)).toEqual([expect.closeTo(10 ** -2.5, 6), 12, "relu", true]);
    expect(calls.length).toBeLessThanOrEqual(4);
    expect(() => widgets.interactive(() => 0, { n: [] })).toThrow(/an empty array gives no choices/);
  });
});
