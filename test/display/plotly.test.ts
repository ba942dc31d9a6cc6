import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { plot, resetPlotlySession, toMimeBundle } from "../../src/display/index.js";
import { checkMarkup } from "./helpers.js";

const plotlyLength = readFileSync(createRequire(import.meta.url).resolve("plotly.js-dist-min"), "utf8").length;

function scripts(html: string): string[] {
  return [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
}

describe("plotly.js inlining", () => {
  it("inlines plotly.js only in the first chart of a session", () => {
    resetPlotlySession();
    const first = toMimeBundle(plot.line([1, 2]))["text/html"] as string;
    const second = toMimeBundle(plot.bar([1, 2]))["text/html"] as string;
    expect(first.length).toBeGreaterThan(plotlyLength);
    expect(second.length).toBeLessThan(100_000);
    expect(scripts(second)).toHaveLength(1);
    resetPlotlySession();
    expect((toMimeBundle(plot.line([1]))["text/html"] as string).length).toBeGreaterThan(plotlyLength);
  });

  it("guards against a second copy and hides AMD define while loading, and parses as JavaScript", () => {
    resetPlotlySession();
    const html = toMimeBundle(plot.line([1, 2]))["text/html"] as string;
    checkMarkup(html, { html: true });
    const [loader, draw] = scripts(html);
    expect(loader).toMatch(/^if \(!window\.Plotly\)/);
    expect(loader).toContain("window.define = undefined");
    expect(loader).toContain("finally { window.define = amd; }");
    // Nothing inside may end the <script> element early.
    expect(loader!.toLowerCase()).not.toContain("</script");
    expect(loader).not.toContain("<!--");
    expect(() => new Function(loader!)).not.toThrow();
    expect(() => new Function(draw!)).not.toThrow();
  });

  it("runs the loader once and keeps define intact (simulated browser globals)", () => {
    resetPlotlySession();
    const html = toMimeBundle(plot.line([1, 2]))["text/html"] as string;
    const [loader] = scripts(html);
    const define = Object.assign(
      () => {
        throw new Error("AMD define must not be called");
      },
      { amd: {} },
    );
    const window: Record<string, unknown> = { define };
    // Evaluate with `window`/`self` bound to a fake global; plotly's factory only needs to run far enough to assign.
    const run = new Function("window", "self", "document", `try { ${loader} } catch (e) { window.error = String(e); }`);
    const fakeDocument = {
      createElement: () => ({ style: {}, getContext: () => null, setAttribute() {}, appendChild() {} }),
      head: { appendChild() {} },
      querySelector: () => null,
      getElementsByTagName: () => [],
      documentElement: { style: {} },
      addEventListener() {},
    };
    run(window, window, fakeDocument);
    expect(window.define).toBe(define);
    expect(String(window.error ?? "")).not.toContain("AMD define");
    const marker = { already: true };
    window.Plotly = marker;
    run(window, window, fakeDocument);
    expect(window.Plotly).toBe(marker);
  });
});
