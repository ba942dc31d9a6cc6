import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import {
  Figure,
  LiveOutput,
  plot,
  resetPlotlySession,
  startPlotlyOutputArea,
  toMimeBundle,
} from "../../src/display/index.js";
import { checkMarkup, recordingSink } from "./helpers.js";

const plotlySource = readFileSync(createRequire(import.meta.url).resolve("plotly.js-cartesian-dist-min"));

function scripts(html: string): string[] {
  return [...html.matchAll(/<script[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
}
const html = (v: unknown) => toMimeBundle(v)["text/html"] as string;
const carries = (h: string) => h.includes("data-deepts-plotly");

describe("plotly.js in chart outputs", () => {
  it("the first chart of each output area (cell run) carries plotly.js, compressed; later ones rely on it", () => {
    startPlotlyOutputArea();
    const first = html(plot.line([1, 2]));
    const second = html(plot.bar([1, 2]));
    expect(carries(first)).toBe(true);
    expect(first.length).toBeLessThan(0.5 * plotlySource.length); // gzip + base64: ~0.66 MB for 1.5 MB
    expect(carries(second)).toBe(false);
    expect(second.length).toBeLessThan(100_000);
    expect(scripts(second)).toHaveLength(1);
    startPlotlyOutputArea(); // the next cell: its first chart carries it again
    expect(carries(html(plot.line([1])))).toBe(true);
  });

  it("the loader holds exactly the plotly.js bundle, parses as JavaScript, and cannot end its <script> early", () => {
    resetPlotlySession();
    const chart = html(plot.line([1, 2]));
    checkMarkup(chart, { html: true });
    const [loader, draw] = scripts(chart);
    const b64 = /atob\("([A-Za-z0-9+/=]+)"\)/.exec(loader!)![1]!;
    expect(gunzipSync(Buffer.from(b64, "base64")).equals(plotlySource)).toBe(true);
    expect(loader).toMatch(/^\(function \(\) \{if \(window\.Plotly \|\| window\.__deeptsPlotly/);
    expect(loader).toContain('new Function("define", "module", "exports", source).call(window)');
    expect(loader!.toLowerCase()).not.toContain("</script");
    expect(() => new Function(loader!)).not.toThrow();
    expect(() => new Function(draw!)).not.toThrow();
    // The drawing script fits the output area's width and takes JupyterLab's theme colours.
    expect(draw).toContain("delete layout.width; layout.autosize = true;");
    expect(draw).toContain("--jp-layout-color0");
    expect(chart).toMatch(/class="deepts-plot" style="width:100%;max-width:\d+px/);
  });

  it("a live figure that carried plotly.js keeps it in its final state, not in its in-between updates", () => {
    const sink = recordingSink();
    startPlotlyOutputArea();
    const fig = new Figure({ data: [{ type: "scatter", y: [1] }], layout: {} });
    const live = new LiveOutput({ sink, maxRate: 100 }).show(fig);
    html(plot.line([3])); // another chart of the same cell does not take it over
    fig.extend(0, { y: [2] });
    live.update(fig);
    live.close(fig);
    const [shown, ...updates] = sink.calls as { data: Record<string, string> }[];
    expect(carries(shown!.data["text/html"]!)).toBe(true);
    expect(updates.length).toBeGreaterThanOrEqual(1);
    for (const u of updates.slice(0, -1)) expect(carries(u.data["text/html"]!)).toBe(false);
    expect(carries(updates.at(-1)!.data["text/html"]!)).toBe(true);
  });

  it("hover text names the series and rounds values", () => {
    const spec = toMimeBundle(plot.line([{ y: [0.95294117, 0.5], name: "train" }, { y: [1, 2] }]))[
      "application/vnd.plotly.v1+json"
    ] as { data: { hovertemplate: string }[] };
    expect(spec.data[0]!.hovertemplate).toBe("%{fullData.name}<br>x %{x:.4~g}<br>y %{y:.4~g}<extra></extra>");
    expect(spec.data[1]!.hovertemplate).toBe("%{fullData.name}<br>x %{x:.4~g}<br>y %{y:.4~g}<extra></extra>");
    const image = toMimeBundle(plot.image([[0, 255]]))["application/vnd.plotly.v1+json"] as typeof spec;
    expect(image.data[0]!.hovertemplate).toBe("x %{x}, y %{y}<br>value %{z[0]}<extra></extra>");
  });
});
