/**
 * deepts's displays in real JupyterLab 4 and Notebook 7 (one Jupyter server, Chromium): every chart
 * kind is drawn by plotly.js after run, after save + reload, and after re-running one cell; wide
 * figures fit the output column; hover labels name series with rounded values; text stays readable
 * in the dark theme (contrast); an untrusted copy still shows the static pictures, the progress
 * bar and the table; no console error comes from deepts (such as JupyterLab's "No active debugger
 * session"). Screenshots: test-output/browser/lab-light.png, lab-dark.png, lab-untrusted.png,
 * notebook7.png.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, readFileSync, renameSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { kernelMain } from "../kernel/client.js";
import { contrast, type JupyterServer, shots, startJupyter, textColours } from "./jupyter-frontend.js";

const NOTEBOOK = "frontends.ipynb";
const CODE_CELLS = 6;
const CHART_CELLS = 4;
let jupyter: JupyterServer;

beforeAll(async () => {
  jupyter = await startJupyter("frontends");
  copyFileSync(join(import.meta.dirname, "fixtures", NOTEBOOK), join(jupyter.root, NOTEBOOK));
}, 120_000);

afterAll(async () => {
  await jupyter?.stop();
});

async function openNotebook(page: Page, path: string): Promise<void> {
  // `reset`: JupyterLab forgets the tabs an earlier test left open (their outputs would count too).
  const reset = path.startsWith("lab/") ? "&reset" : "";
  await page.goto(`${jupyter.url}${path}?token=${jupyter.token}${reset}`, { timeout: 60_000 });
  await page.locator(".jp-Notebook .jp-CodeCell").first().waitFor({ timeout: 60_000 });
  // The kernel is connected and idle (status bar in Lab, toolbar indicator in Notebook 7).
  await page.waitForFunction(
    () =>
      /deepts/i.test(document.body.innerText) &&
      (/Idle/.test(document.body.innerText) ||
        document.querySelector('[title*="Idle" i], [data-status="idle"]') !== null),
    undefined,
    { timeout: 60_000, polling: 250 },
  );
}

async function menu(page: Page, top: string, item: string): Promise<void> {
  await page.locator(".lm-MenuBar-itemLabel", { hasText: new RegExp(`^${top}$`) }).click();
  await page.locator(".lm-Menu-itemLabel", { hasText: new RegExp(`^${item}$`) }).click();
}

/** Waits until every code cell shows an execution count and the training panel has finished. */
async function waitExecuted(page: Page, counts?: number[]): Promise<number[]> {
  await page.waitForFunction(
    ([n, before]) => {
      const prompts = [...document.querySelectorAll(".jp-CodeCell .jp-InputPrompt")].map((p) => p.textContent ?? "");
      const numbers = prompts.map((p) => Number(/\[(\d+)\]/.exec(p)?.[1] ?? Number.NaN));
      const fresh = before ? numbers.some((x, i) => x !== before[i]) : true;
      return (
        numbers.length === n &&
        numbers.every(Number.isFinite) &&
        fresh &&
        /Training · .*(done in|stopped)/.test(document.body.innerText)
      );
    },
    [CODE_CELLS, counts] as const,
    { timeout: 120_000, polling: 250 },
  );
  return page.evaluate(() =>
    [...document.querySelectorAll(".jp-CodeCell .jp-InputPrompt")].map((p) =>
      Number(/\[(\d+)\]/.exec(p.textContent ?? "")?.[1]),
    ),
  );
}

/** Waits until `n` deepts charts are drawn by plotly.js (interactive), and returns how many are. */
async function waitCharts(page: Page, n = CHART_CELLS): Promise<number> {
  await page.waitForFunction(
    (want) =>
      [...document.querySelectorAll(".deepts-plot.js-plotly-plot")].filter((p) => p.querySelector(".main-svg"))
        .length >= want,
    n,
    { timeout: 60_000, polling: 250 },
  );
  return page.evaluate(() => document.querySelectorAll(".deepts-plot.js-plotly-plot").length);
}

/** Saves with Ctrl+S from command mode and waits until the file on disk changed. */
async function save(page: Page, file = NOTEBOOK): Promise<void> {
  const path = join(jupyter.root, file);
  const before = statSync(path).mtimeMs;
  await page.locator(".jp-CodeCell .jp-InputPrompt").first().click();
  await page.keyboard.press("Escape");
  await page.keyboard.press("Control+s");
  const deadline = Date.now() + 20_000;
  while (statSync(path).mtimeMs === before) {
    if (Date.now() > deadline) throw new Error(`${file} was not saved`);
    await page.waitForTimeout(200);
  }
  await page.waitForTimeout(300);
}

/** Output areas whose content is wider than the area itself. */
async function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>(".deepts-plot")]
      .filter((plot) => {
        const area = plot.closest(".jp-OutputArea-output") as HTMLElement | null;
        return area !== null && plot.getBoundingClientRect().width > area.getBoundingClientRect().width + 1;
      })
      .map(
        (plot) =>
          `${plot.getBoundingClientRect().width} px in ${plot.closest(".jp-OutputArea-output")!.clientWidth} px`,
      ),
  );
}

/** Hovers across the first chart until plotly shows a hover label; returns its text. */
async function hoverText(page: Page): Promise<string> {
  const drag = page.locator(".deepts-plot.js-plotly-plot .nsewdrag").first();
  await drag.scrollIntoViewIfNeeded();
  const box = (await drag.boundingBox())!;
  for (let j = 0; j <= 12; j++) {
    for (let i = 0; i <= 12; i++) {
      await page.mouse.move(box.x + (box.width * i) / 12, box.y + (box.height * j) / 12);
      const text = await page.locator(".hoverlayer .hovertext").allTextContents();
      if (text.join("").trim()) return text.join(" | ");
    }
  }
  return "";
}

/**
 * Console errors that deepts could cause. Left out: requests this test's page blocks (anything
 * not on the server), and JupyterLab 4's "No active debugger session" from `displayModules`: its
 * notebook debugger handler calls that after every execute_reply of any kernel, but makes the
 * debug session only for kernels whose kernelspec says `metadata.debugger: true` (ipykernel does).
 * deepts has no debugger, and advertising one would put a debugger switch in the toolbar that
 * cannot work, so it stays `false`; see README, Troubleshooting.
 */
const deeptsErrors = (since = 0) =>
  jupyter.consoleErrors.slice(since).filter(
    (e) =>
      !/Failed to load resource|net::ERR_FAILED|favicon/.test(e) &&
      // Notebook 7's own, when JupyterLab used the same server before (no kernel involved).
      !/uncaught Command 'filebrowser:open-path' not registered/.test(e) &&
      !/uncaught No active debugger session\nError: No active debugger session\n\s+at \w+\.displayModules/.test(e),
  );

describe("JupyterLab 4", () => {
  test("runs every chart kind interactively; after save + reload and a re-run they stay interactive; no deepts console errors", async () => {
    jupyter.setTheme("JupyterLab Light");
    const page = await jupyter.newPage();
    await openNotebook(page, `lab/tree/${NOTEBOOK}`);
    await menu(page, "Run", "Run All Cells");
    const counts = await waitExecuted(page);
    expect(await waitCharts(page)).toBe(CHART_CELLS);
    expect(await overflowing(page)).toEqual([]);
    // Hover labels: the series' name and rounded values, not "trace 0" and 0.9529412.
    const hover = await hoverText(page);
    expect(hover).toMatch(/train|val/);
    expect(hover).not.toMatch(/trace \d|\d\.\d{5,}/);
    await page.screenshot({ path: join(shots, "lab-light.png"), fullPage: true });
    await save(page);
    const saved = readFileSync(join(jupyter.root, NOTEBOOK), "utf8");
    // Each chart cell carries plotly.js (compressed), so each draws alone after a reload.
    expect(saved.match(/data-deepts-plotly=/g)?.length).toBe(CHART_CELLS);

    await page.reload();
    await openNotebook(page, `lab/tree/${NOTEBOOK}`);
    expect(await waitCharts(page)).toBe(CHART_CELLS);

    // Re-run the first chart's cell alone, save, reload: every chart still draws.
    await page.locator(".jp-CodeCell .jp-InputArea-editor").first().click();
    await page.keyboard.press("Control+Enter");
    await page.waitForFunction(
      (before) =>
        Number(/\[(\d+)\]/.exec(document.querySelector(".jp-CodeCell .jp-InputPrompt")?.textContent ?? "")?.[1]) >
        before,
      counts[0]!,
      { timeout: 60_000 },
    );
    await save(page);
    await page.reload();
    await openNotebook(page, `lab/tree/${NOTEBOOK}`);
    expect(await waitCharts(page)).toBe(CHART_CELLS);
    expect(deeptsErrors()).toEqual([]);
    await page.close();
  }, 400_000);

  test("the dark theme: outputs' text is readable (contrast ≥ 4.5), charts take the theme's colours", async () => {
    jupyter.setTheme("JupyterLab Dark");
    try {
      const page = await jupyter.newPage();
      await openNotebook(page, `lab/tree/${NOTEBOOK}`);
      expect(await page.evaluate(() => document.body.dataset.jpThemeLight)).toBe("false");
      await waitCharts(page);
      const texts = (await textColours(page, ".jp-OutputArea-output")).filter((t) => !/^\s*$/.test(t.text));
      expect(texts.length).toBeGreaterThan(5);
      const poor = texts.filter((t) => contrast(t.fg, t.bg) < 4.5);
      expect(poor, JSON.stringify(poor, null, 1)).toEqual([]);
      const paper = await page.evaluate(
        () => getComputedStyle(document.querySelector(".deepts-plot.js-plotly-plot .main-svg")!).backgroundColor,
      );
      expect(contrast(paper, "rgb(255, 255, 255)")).toBeGreaterThan(4.5); // dark, like the notebook
      await page.screenshot({ path: join(shots, "lab-dark.png"), fullPage: true });
      await page.close();
    } finally {
      jupyter.setTheme("JupyterLab Light");
    }
    expect(deeptsErrors()).toEqual([]);
  }, 200_000);

  test("an untrusted copy shows the static pictures, a visible progress bar and the coloured table", async () => {
    // Executed elsewhere (deepts run), never signed by this server: untrusted, like a notebook someone sent.
    const out = join(jupyter.root, "elsewhere");
    const run = spawnSync(
      process.execPath,
      [kernelMain, "run", join(import.meta.dirname, "fixtures", NOTEBOOK), "--out", out],
      {
        encoding: "utf8",
        timeout: 180_000,
      },
    );
    expect(run.status, run.stderr).toBe(0);
    renameSync(join(out, NOTEBOOK), join(jupyter.root, "untrusted.ipynb"));
    const since = jupyter.consoleErrors.length;
    const page = await jupyter.newPage();
    await openNotebook(page, "lab/tree/untrusted.ipynb");
    await page.waitForTimeout(2000);
    await page.screenshot({ path: join(shots, "lab-untrusted.png"), fullPage: true });
    expect(await page.locator(".deepts-plot.js-plotly-plot").count()).toBe(0); // no scripts ran
    const pictures = await page.evaluate(
      () =>
        [...document.querySelectorAll<HTMLImageElement>('.jp-OutputArea-output img[src^="data:image/svg+xml"]')].filter(
          (img) => img.complete && img.naturalWidth > 0 && img.getBoundingClientRect().width > 50,
        ).length,
    );
    expect(pictures).toBeGreaterThanOrEqual(CHART_CELLS + 1); // the charts and the panel's loss curve
    // The panel's progress bar: a filled bar with a visible colour, as wide as its progress.
    const bar = await page.evaluate(() => {
      const fills = [...document.querySelectorAll<HTMLElement>(".jp-OutputArea-output div")].filter(
        (d) => d.style.width === "100%" && d.parentElement?.style.height === "10px",
      );
      const fill = fills[0];
      return fill
        ? { colour: getComputedStyle(fill).backgroundColor, width: fill.getBoundingClientRect().width }
        : null;
    });
    expect(bar).not.toBeNull();
    expect(bar!.width).toBeGreaterThan(50);
    expect(contrast(bar!.colour, "rgb(255, 255, 255)")).toBeGreaterThan(2);
    // The tensor table keeps its cell colours.
    const cellColours = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>(".jp-OutputArea-output table td")].map(
        (td) => getComputedStyle(td).backgroundColor,
      ),
    );
    expect(cellColours.filter((c) => !/rgba\(.*, 0\)$/.test(c)).length).toBeGreaterThanOrEqual(4);
    await page.screenshot({ path: join(shots, "lab-untrusted.png"), fullPage: true });
    expect(deeptsErrors(since)).toEqual([]);
    await page.close();
  }, 200_000);
});

describe("Notebook 7", () => {
  test("Run All draws every chart, wide figures fit the narrower column; after save + reload they draw again", async () => {
    // Errors that Notebook 7 logs on its own file browser, with no kernel, are not deepts's.
    const tree = await jupyter.newPage();
    const seen = jupyter.consoleErrors.length;
    await tree.goto(`${jupyter.url}tree?token=${jupyter.token}`);
    await tree.locator(".jp-DirListing").first().waitFor({ timeout: 60_000 });
    await tree.waitForTimeout(2000);
    const frontendOwn = jupyter.consoleErrors.splice(seen).map((e) => e.replace(/^\S+: /, "").split("\n")[0]!);
    await tree.close();
    const since = jupyter.consoleErrors.length;
    const page = await jupyter.newPage({ width: 1100, height: 1000 });
    copyFileSync(join(import.meta.dirname, "fixtures", NOTEBOOK), join(jupyter.root, "notebook7.ipynb"));
    await openNotebook(page, "notebooks/notebook7.ipynb");
    await menu(page, "Run", "Run All Cells");
    await waitExecuted(page);
    expect(await waitCharts(page)).toBe(CHART_CELLS);
    expect(await overflowing(page)).toEqual([]);
    await page.screenshot({ path: join(shots, "notebook7.png"), fullPage: true });
    await save(page, "notebook7.ipynb");
    await page.reload();
    await openNotebook(page, "notebooks/notebook7.ipynb");
    expect(await waitCharts(page)).toBe(CHART_CELLS);
    expect(deeptsErrors(since).filter((e) => !frontendOwn.includes(e.replace(/^\S+: /, "").split("\n")[0]!))).toEqual(
      [],
    );
    await page.close();
  }, 300_000);
});
