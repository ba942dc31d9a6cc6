import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  display,
  Figure,
  LiveOutput,
  plot,
  PLOTLY_MIME,
  resetPlotlySession,
  setDisplaySink,
} from "../../src/display/index.js";
import { recordingSink } from "./helpers.js";

let sink: ReturnType<typeof recordingSink>;
beforeEach(() => {
  vi.useFakeTimers();
  sink = recordingSink();
  setDisplaySink(sink);
  resetPlotlySession();
});
afterEach(() => {
  vi.useRealTimers();
  setDisplaySink(undefined);
});

describe("LiveOutput", () => {
  it("throttles a fast synchronous loop and ends with the full bundle", () => {
    const fig = plot.line([0], { title: "live" });
    const live = new LiveOutput({ maxRate: 10 }).show(fig);
    for (let i = 1; i <= 1000; i++) {
      fig.data[0] = { type: "scatter", y: Array.from({ length: i }, (_, k) => k) };
      live.update(fig);
      vi.advanceTimersByTime(2); // 2 s of "work" in total, but the loop never yields
    }
    live.close();
    const updates = sink.calls.filter((c) => c.kind === "update");
    expect(sink.calls[0]).toMatchObject({ kind: "display", id: live.id });
    // 2 seconds at ≤ 10/s, plus the final one.
    expect(updates.length).toBeGreaterThanOrEqual(15);
    expect(updates.length).toBeLessThanOrEqual(22);
    for (const u of updates.slice(0, -1))
      expect(Object.keys(u.kind === "update" ? u.data : {}).sort()).toEqual(["text/html", "text/plain"]);
    const last = updates[updates.length - 1]!;
    expect(last.kind === "update" && Object.keys(last.data).sort()).toEqual([
      PLOTLY_MIME,
      "image/svg+xml",
      "text/html",
      "text/plain",
    ]);
    expect(last.kind === "update" && (last.data[PLOTLY_MIME] as { data: { y: number[] }[] }).data[0]!.y).toHaveLength(
      1000,
    );
    expect(() => live.update(fig)).toThrow(/closed/);
  });

  it("delivers the last pending update when the loop yields", async () => {
    const live = new LiveOutput({ maxRate: 5 }).show("a");
    live.update("b"); // too soon: pending
    live.update("c");
    expect(sink.calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(250);
    expect(sink.calls).toHaveLength(2);
    expect(sink.calls[1]).toMatchObject({ kind: "update", data: { "text/plain": "'c'" } });
    live.close();
    expect(sink.calls[2]).toMatchObject({ kind: "update", data: { "text/plain": "'c'" } });
  });

  it("renders only what it sends", () => {
    let renders = 0;
    const value = { [Symbol.for("Jupyter.display")]: () => ({ "text/plain": `r${++renders}` }) };
    const live = new LiveOutput({ maxRate: 10 }).show(value);
    for (let i = 0; i < 500; i++) live.update(value);
    live.close();
    expect(renders).toBe(sink.calls.length);
    expect(renders).toBeLessThan(5);
  });

  it("display.live is a LiveOutput", () => {
    const live = display.live("x", { maxRate: 20 });
    expect(live).toBeInstanceOf(LiveOutput);
    live.update("y");
    live.close();
    expect(sink.calls.map((c) => c.kind)).toEqual(["display", "update"]);
  });

  it("rejects silly rates", () => {
    expect(() => new LiveOutput({ maxRate: 0 })).toThrow(/maxRate/);
    expect(() => new LiveOutput({ maxRate: 1000 })).toThrow(/maxRate/);
  });
});

describe("Figure live updates", () => {
  it("show / extend / close updates one output and ends with the plotly JSON", () => {
    const fig = new Figure({ data: [{ type: "scatter", y: [] }], layout: { title: { text: "loss" } } });
    expect(fig.show()).toBeUndefined();
    for (let i = 0; i < 300; i++) {
      fig.extend(0, { y: [1 / (i + 1)] });
      vi.advanceTimersByTime(10);
    }
    fig.close();
    const ids = new Set(sink.calls.map((c) => (c.kind === "clear" ? "" : c.id)));
    expect(ids).toEqual(new Set([fig.displayId]));
    expect(sink.calls.length).toBeLessThanOrEqual(3 * 10 + 3);
    const last = sink.calls[sink.calls.length - 1]!;
    expect(last.kind === "update" && (last.data[PLOTLY_MIME] as { data: { y: number[] }[] }).data[0]!.y).toHaveLength(
      300,
    );
    expect(() => fig.extend(3, { y: [1] })).toThrow(/no trace 3/);
  });
});
