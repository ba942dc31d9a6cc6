/**
 * `deepts run` saves the widgets' state into the notebook (metadata.widgets), and its `--html`
 * page shows them statically with @jupyter-widgets/html-manager, offline: checked in Chromium with
 * every request outside the page refused. Screenshot: test-output/browser/widgets-export.png.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { afterAll, expect, test } from "vitest";
import { kernelMain, repoRoot } from "../kernel/client.js";
import { notebookJson } from "./helpers.js";

const dir = mkdtempSync(join(tmpdir(), "deepts-widgets-export-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CELLS = [
  'const n = new widgets.IntSlider({ value: 7, min: 0, max: 10, description: "n" });\nn',
  'widgets.interact(({ a, act }) => `a=${a} act=${act}`, { a: [0, 10], act: ["relu", "tanh"] });',
  'const out = new widgets.Output();\nout.capture(() => console.log("captured line"));\nout',
  'new widgets.Image({ value: widgets.Image.pngFromPixels(Array.from({ length: 64 }, (_, i) => i * 4), 8, 8), width: "64" })',
  'const gone = new widgets.Checkbox({ description: "closed" });\ndisplay(gone);\ngone.close();',
];

test("deepts run saves widget state; its HTML page renders the widgets offline", async () => {
  const nbPath = join(dir, "widgets.ipynb");
  writeFileSync(nbPath, notebookJson(CELLS));
  const run = spawnSync(process.execPath, [kernelMain, "run", nbPath, "--out", join(dir, "out"), "--html"], {
    encoding: "utf8",
    timeout: 240_000,
    env: { ...process.env, DEEPTS_HISTORY_FILE: "" },
  });
  expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);

  const nb = JSON.parse(readFileSync(join(dir, "out/widgets.ipynb"), "utf8"));
  const doc = nb.metadata.widgets["application/vnd.jupyter.widget-state+json"];
  expect(doc.version_major).toBe(2);
  const models = Object.values(doc.state) as {
    model_name: string;
    state: Record<string, unknown>;
    buffers?: unknown[];
  }[];
  const slider = models.find((m) => m.model_name === "IntSliderModel" && m.state.description === "n")!;
  expect(slider.state.value).toBe(7);
  const shownIds = nb.cells.flatMap((c: { outputs: { data?: Record<string, { model_id?: string }> }[] }) =>
    c.outputs.map((o) => o.data?.["application/vnd.jupyter.widget-view+json"]?.model_id).filter(Boolean),
  );
  const closedId = shownIds.at(-1);
  expect(doc.state[closedId], "a closed widget is not saved").toBeUndefined();
  expect(models.find((m) => m.model_name === "ImageModel")!.buffers).toHaveLength(1);
  const output = models.find(
    (m) => m.model_name === "OutputModel" && JSON.stringify(m.state.outputs).includes("captured line"),
  );
  expect(output, "the Output widget's captured text is in its saved state").toBeDefined();

  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu"],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const outside: string[] = [];
    await page.route("**/*", (route) => {
      const url = route.request().url();
      if (url.startsWith("file:") || url.startsWith("data:")) return route.continue();
      outside.push(url);
      return route.abort();
    });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(pathToFileURL(join(dir, "out/widgets.html")).href);
    await page.locator(".widget-slider").first().waitFor({ timeout: 30_000 });
    expect(await page.locator(".widget-slider .widget-readout").first().innerText()).toBe("7");
    expect(await page.locator(".widget-dropdown select").inputValue()).toBe("relu");
    await expect
      .poll(async () => (await page.locator(".widget-output").allInnerTexts()).map((t) => t.trim()))
      .toEqual(["'a=5 act=relu'", "captured line"]);
    expect(await page.locator(".widget-image").count()).toBe(1);
    expect(await page.locator(".widget-checkbox").count(), "the closed widget shows its text instead").toBe(0);
    mkdirSync(join(repoRoot, "test-output/browser"), { recursive: true });
    await page.screenshot({ path: join(repoRoot, "test-output/browser/widgets-export.png"), fullPage: true });
    expect(outside, "the page asked for nothing outside itself").toEqual([]);
    expect(errors).toEqual([]);
  } finally {
    await browser.close();
  }
}, 300_000);
