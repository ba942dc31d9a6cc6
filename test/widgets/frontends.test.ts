/**
 * Widgets in real frontends: JupyterLab 4.6 and Notebook 7.6 with ipywidgets 8.1's widget manager
 * (from the test venv, one server for the file), driven in Chromium with the mouse: drag a slider
 * and see the kernel-side value and a re-rendered plot change, press Stop during `fit`, reload the
 * page and see the widgets restored from the kernel (`request_states`); Python's ipywidgets in the
 * same JupyterLab renders the same slider. Screenshots: test-output/browser/widgets-*.png.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type Locator, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { freePort, installKernelspec, repoRoot } from "../kernel/client.js";
import { notebookJson, testVenv } from "./helpers.js";

const CHROMIUM = "/usr/bin/chromium";
const shots = join(repoRoot, "test-output/browser");

let prefix: string;
let server: ChildProcess | undefined;
let serverLog = "";
let browser: Browser | undefined;
let baseUrl: string;
let token: string;

const SLIDER_CELL = `const freq = new widgets.IntSlider({ value: 2, min: 0, max: 10, description: "freq" });
const chart = new widgets.Output();
const draw = (f: number) => {
  chart.clear(true);
  chart.capture(() => {
    display.html(\`<span class="freq-\${f}">sin(\${f}x)</span>\`);
    display(plot.line(Array.from({ length: 40 }, (_, i) => Math.sin((i * f) / 8)), { title: \`sin(\${f}x)\` }));
  });
};
draw(freq.value);
let observed = 0;
freq.observe(({ new: f }) => { observed++; draw(f as number); });
display(new widgets.VBox([freq, chart]));`;
const READ_CELL = "`kernel sees freq=${freq.value} after ${observed} changes`";
const FIT_CELL = `const xs = tf.randomNormal([2048, 16]);
const ys = tf.randomNormal([2048, 1]);
const m = tf.sequential({ layers: [tf.layers.dense({ units: 32, inputShape: [16], activation: "relu" }), tf.layers.dense({ units: 1 })] });
m.compile({ optimizer: tf.train.sgd(0.01), loss: "meanSquaredError" });
const h = await m.fit(xs, ys, { epochs: 500, batchSize: 16 });
\`stopped after \${h.epoch.length} of 500 epochs\``;

async function waitForServer(deadline: number): Promise<void> {
  for (;;) {
    try {
      if ((await fetch(`${baseUrl}api/status?token=${token}`)).ok) return;
    } catch {
      // not up yet
    }
    if (server?.exitCode !== null) throw new Error(`jupyter lab exited:\n${serverLog}`);
    if (Date.now() > deadline) throw new Error(`jupyter lab did not start:\n${serverLog}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** A page that reaches the Jupyter server only (no CDN). */
async function newPage(): Promise<Page> {
  const page = await browser!.newPage({ viewport: { width: 1280, height: 1000 } });
  await page.route("**/*", (route) => {
    const url = route.request().url();
    return url.startsWith(baseUrl) || url.startsWith(baseUrl.replace("http", "ws")) || url.startsWith("data:")
      ? route.continue()
      : route.abort();
  });
  return page;
}

/**
 * Runs the notebook cell `index` (Shift+Enter in its editor), again if its prompt did not show it
 * queued or run (a frontend that is still connecting to the kernel drops the request).
 */
async function runCell(page: Page, cells: Locator, index: number): Promise<void> {
  const prompt = cells.nth(index).locator(".jp-InputPrompt");
  const before = await prompt.innerText();
  for (let attempt = 0; attempt < 5; attempt++) {
    await cells.nth(index).locator(".cm-content").click();
    await page.keyboard.press("Shift+Enter");
    const started = await expect
      .poll(async () => (await prompt.innerText()).replace(/\s/g, ""), { timeout: 5000 })
      .not.toBe(before.replace(/\s/g, ""))
      .then(() => true)
      .catch(() => false);
    if (started) return;
  }
  throw new Error(`cell ${index} did not start running`);
}

/** Drags a slider's handle by `dx` pixels with the mouse; returns the readout text after. */
async function drag(page: Page, slider: Locator, dx: number): Promise<void> {
  const handle = slider.locator(".noUi-handle").first();
  const box = (await handle.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  for (let i = 1; i <= 10; i++) await page.mouse.move(box.x + box.width / 2 + (dx * i) / 10, box.y + box.height / 2);
  await page.mouse.up();
}

/** Runs `steps`; on failure saves a screenshot of the page (named `name`) and the browser console next to the others. */
async function withFailureShot(page: Page, name: string, steps: () => Promise<void>): Promise<void> {
  const consoleLines: string[] = [];
  page.on("console", (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
  try {
    await steps();
  } catch (e) {
    await page.screenshot({ path: join(shots, `${name}-failure.png`) }).catch(() => undefined);
    writeFileSync(
      join(shots, `${name}-failure-console.txt`),
      `${consoleLines.join("\n")}\n\nserver:\n${serverLog.slice(-5000)}`,
    );
    throw e;
  }
}

/** Waits until the notebook's kernel (named in the toolbar) is connected and idle. */
async function kernelReady(page: Page, name: string): Promise<void> {
  await page.locator(".jp-Toolbar-kernelName:visible", { hasText: name }).first().waitFor({ timeout: 90_000 });
  await page
    .locator(".jp-Notebook-ExecutionIndicator[data-status='idle']:visible")
    .first()
    .waitFor({ timeout: 90_000 });
  await page.waitForTimeout(1000);
}

async function stopKernels(): Promise<void> {
  const kernels = (await (await fetch(`${baseUrl}api/kernels?token=${token}`)).json()) as { id: string }[];
  await Promise.all(kernels.map((k) => fetch(`${baseUrl}api/kernels/${k.id}?token=${token}`, { method: "DELETE" })));
}

beforeAll(async () => {
  const venv = testVenv();
  let env: NodeJS.ProcessEnv;
  ({ prefix, env } = installKernelspec("widgets-browser"));
  const root = join(prefix, "notebooks");
  mkdirSync(root);
  mkdirSync(shots, { recursive: true });
  writeFileSync(join(root, "lab.ipynb"), notebookJson([SLIDER_CELL, READ_CELL, FIT_CELL], "deepts"));
  writeFileSync(join(root, "classic.ipynb"), notebookJson([SLIDER_CELL, READ_CELL], "deepts"));
  writeFileSync(
    join(root, "python.ipynb"),
    notebookJson(['import ipywidgets as w\nw.IntSlider(value=2, min=0, max=10, description="freq")'], "python3"),
  );
  const port = await freePort();
  token = randomUUID();
  baseUrl = `http://127.0.0.1:${port}/`;
  server = spawn(
    join(venv, "bin/jupyter"),
    [
      "lab",
      `--ServerApp.token=${token}`,
      `--port=${port}`,
      "--port-retries=0",
      "--ip=127.0.0.1",
      "--no-browser",
      "--allow-root",
      `--ServerApp.root_dir=${root}`,
      "--LabApp.news_url=None",
    ],
    { stdio: ["ignore", "pipe", "pipe"], env: { ...env, PATH: `${join(venv, "bin")}:${process.env.PATH}` } },
  );
  server.stdout!.on("data", (d: Buffer) => (serverLog += d.toString()));
  server.stderr!.on("data", (d: Buffer) => (serverLog += d.toString()));
  const [, launched] = await Promise.all([
    waitForServer(Date.now() + 90_000),
    chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu", "--no-first-run"] }),
  ]);
  browser = launched;
}, 120_000);

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  if (server && server.exitCode === null) {
    await stopKernels().catch(() => undefined);
    const exited = new Promise((r) => server!.once("exit", r));
    server.kill("SIGTERM");
    const timer = setTimeout(() => server!.kill("SIGKILL"), 5000);
    await exited;
    clearTimeout(timer);
  }
  if (prefix) rmSync(prefix, { recursive: true, force: true });
});

describe("widgets in real frontends", () => {
  test("JupyterLab: drag a slider (kernel value and plot follow), Stop during fit, reload restores the widgets", async () => {
    const page = await newPage();
    const errors: string[] = [];
    // JupyterLab's debugger panel complains about kernels without a debugger (not a widget matter).
    page.on("pageerror", (e) => e.message !== "No active debugger session" && errors.push(e.message));
    await withFailureShot(page, "widgets-jupyterlab", async () => {
      await page.goto(`${baseUrl}lab/tree/lab.ipynb?token=${token}`, { timeout: 60_000 });
      const cells = page.locator(".jp-Notebook:visible .jp-Cell");
      await cells.first().waitFor({ timeout: 60_000 });
      await kernelReady(page, "TypeScript (deepts)");

      await runCell(page, cells, 0);
      const slider = cells.nth(0).locator(".widget-slider").first();
      await slider.waitFor({ timeout: 60_000 });
      const marker = cells.nth(0).locator(".widget-output span[class^='freq-']");
      const plotHtml = () => cells.nth(0).locator(".widget-output").innerHTML();
      await expect.poll(() => marker.getAttribute("class"), { timeout: 20_000 }).toBe("freq-2");
      const firstPlot = await plotHtml();
      await drag(page, slider, 120);
      const readout = slider.locator(".widget-readout");
      await expect.poll(async () => Number(await readout.innerText()), { timeout: 10_000 }).toBeGreaterThan(2);
      const shown = Number(await readout.innerText());
      await expect.poll(() => marker.getAttribute("class"), { timeout: 20_000 }).toBe(`freq-${shown}`);
      expect(await plotHtml()).not.toBe(firstPlot); // the chart was drawn again for the new value

      await runCell(page, cells, 1);
      const read = cells.nth(1).locator(".jp-OutputArea-output");
      await expect
        .poll(() => read.innerText(), { timeout: 30_000 })
        .toMatch(new RegExp(`kernel sees freq=${shown} after [1-9]\\d* changes`));
      await page.screenshot({ path: join(shots, "widgets-jupyterlab.png") });

      await runCell(page, cells, 2);
      const stop = cells.nth(2).locator("button.jupyter-button", { hasText: "Stop" });
      await stop.waitFor({ timeout: 90_000 });
      await cells.nth(2).locator(".widget-slider").first().waitFor({ timeout: 10_000 }); // the learning-rate control
      await page.waitForTimeout(1500);
      await page.screenshot({ path: join(shots, "widgets-jupyterlab-fit.png") });
      await stop.click();
      const result = cells.nth(2).locator(".jp-OutputArea-output", { hasText: "stopped after" });
      await result.waitFor({ timeout: 60_000 });
      const epochs = Number(/stopped after (\d+) of 500/.exec(await result.innerText())![1]);
      expect(epochs).toBeGreaterThan(0);
      expect(epochs).toBeLessThan(500);
      // The panel is the plain panel again (no widget) once training ended.
      await expect.poll(() => cells.nth(2).locator("button.jupyter-button").count(), { timeout: 10_000 }).toBe(0);
      await cells.nth(2).locator(".jp-OutputArea-output", { hasText: "Training" }).first().waitFor({ timeout: 10_000 });

      // Save, reload: the widget manager asks the kernel for every live widget and renders them again.
      await page.keyboard.press("Control+s");
      await page.waitForTimeout(1500);
      await page.reload();
      const restored = page.locator(".jp-Notebook .jp-Cell").nth(0).locator(".widget-slider").first();
      await restored.waitFor({ timeout: 60_000 });
      await expect
        .poll(async () => Number(await restored.locator(".widget-readout").innerText()), { timeout: 20_000 })
        .toBe(shown);
      await expect
        .poll(
          () =>
            page
              .locator(".jp-Notebook .jp-Cell")
              .nth(0)
              .locator(".widget-output span[class^='freq-']")
              .getAttribute("class"),
          { timeout: 20_000 },
        )
        .toBe(`freq-${shown}`);
      await page.screenshot({ path: join(shots, "widgets-jupyterlab-reloaded.png") });
    });
    expect(errors, errors.join("\n")).toEqual([]);
    await page.close();
  }, 300_000);

  test("JupyterLab: Python's ipywidgets (the reference) renders the same slider", async () => {
    const page = await newPage();
    await page.goto(`${baseUrl}lab/tree/python.ipynb?reset&token=${token}`, { timeout: 60_000 });
    const cells = page.locator(".jp-Notebook:visible .jp-Cell");
    await cells.first().waitFor({ timeout: 60_000 });
    await kernelReady(page, "Python 3");
    await runCell(page, cells, 0);
    const slider = cells.nth(0).locator(".widget-slider").first();
    await slider.waitFor({ timeout: 60_000 });
    await page.screenshot({ path: join(shots, "widgets-jupyterlab-python.png") });
    const classes = await slider.getAttribute("class");
    expect(classes).toContain("widget-hslider");
    expect(await slider.locator(".widget-label").innerText()).toBe("freq");
    expect(await slider.locator(".widget-readout").innerText()).toBe("2");
    await page.close();
    await stopKernels();
  }, 180_000);

  test("Notebook 7: drag a slider, the kernel sees the value", async () => {
    const page = await newPage();
    const errors: string[] = [];
    // Notebook 7 served by the JupyterLab server logs errors of its own file browser and settings
    // plugins; only widget and comm errors count here.
    page.on(
      "pageerror",
      (e) => /\bwidgets?\b|\bcomms?\b|IPY_MODEL|model_id/i.test(e.message) && errors.push(e.message),
    );
    await withFailureShot(page, "widgets-notebook7", async () => {
      await page.goto(`${baseUrl}notebooks/classic.ipynb?token=${token}`, { timeout: 60_000 });
      const cells = page.locator(".jp-Notebook:visible .jp-Cell");
      await cells.first().waitFor({ timeout: 60_000 });
      await kernelReady(page, "TypeScript (deepts)");
      await runCell(page, cells, 0);
      const slider = cells.nth(0).locator(".widget-slider").first();
      await slider.waitFor({ timeout: 60_000 });
      await drag(page, slider, -60);
      const readout = slider.locator(".widget-readout");
      await expect.poll(async () => Number(await readout.innerText()), { timeout: 10_000 }).toBeLessThan(2);
      const shown = Number(await readout.innerText());
      await runCell(page, cells, 1);
      await expect
        .poll(() => cells.nth(1).locator(".jp-OutputArea-output").innerText(), { timeout: 30_000 })
        .toMatch(new RegExp(`kernel sees freq=${shown} after`));
      await page.screenshot({ path: join(shots, "widgets-notebook7.png") });
    });
    expect(errors, errors.join("\n")).toEqual([]);
    await page.close();
  }, 180_000);
});
