/**
 * Rich display in a real browser: Debian's classic Jupyter Notebook server with the installed deepts
 * kernelspec, driven in Chromium (playwright-core). Runs a notebook that shows a tensor, a plot, a
 * live training panel, a model diagram, a summary table and a gradient graph, checks what the page
 * rendered, then checks nbconvert's HTML export of the executed notebook.
 * Screenshots: test-output/browser/notebook.png and test-output/browser/nbconvert.png.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { freePort, installKernelspec, repoRoot } from "../kernel/client.js";

const CHROMIUM = "/usr/bin/chromium";
const NOTEBOOK = "display-tour.ipynb";
const shots = join(repoRoot, "test-output/browser");

let prefix: string;
let root: string;
let env: NodeJS.ProcessEnv;
let server: ChildProcess | undefined;
let serverLog = "";
let browser: Browser | undefined;
let baseUrl: string;
let token: string;

async function waitForServer(deadline: number): Promise<void> {
  for (;;) {
    try {
      if ((await fetch(`${baseUrl}api/status?token=${token}`)).ok) return;
    } catch {
      // not up yet
    }
    if (server?.exitCode !== null) throw new Error(`the notebook server exited:\n${serverLog}`);
    if (Date.now() > deadline) throw new Error(`the notebook server did not start:\n${serverLog}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** A page that can reach the notebook server and local files only. */
async function newPage(): Promise<Page> {
  const page = await browser!.newPage({ viewport: { width: 1200, height: 900 } });
  await page.route("**/*", (route) => {
    const url = route.request().url();
    return url.startsWith(baseUrl) ||
      url.startsWith(baseUrl.replace("http", "ws")) ||
      url.startsWith("file:") ||
      url.startsWith("data:")
      ? route.continue()
      : route.abort();
  });
  return page;
}

beforeAll(async () => {
  ({ prefix, env } = installKernelspec("browser"));
  root = join(prefix, "notebooks");
  mkdirSync(root);
  copyFileSync(join(import.meta.dirname, "fixtures", NOTEBOOK), join(root, NOTEBOOK));
  mkdirSync(shots, { recursive: true });
  const port = await freePort();
  token = randomUUID();
  baseUrl = `http://127.0.0.1:${port}/`;
  server = spawn(
    "/usr/bin/python3",
    [
      "-m",
      "notebook",
      `--NotebookApp.token=${token}`,
      `--port=${port}`,
      "--port-retries=0",
      "--ip=127.0.0.1",
      "--no-browser",
      "--allow-root",
      `--notebook-dir=${root}`,
    ],
    { stdio: ["ignore", "pipe", "pipe"], env },
  );
  server.stdout!.on("data", (d: Buffer) => (serverLog += d.toString()));
  server.stderr!.on("data", (d: Buffer) => (serverLog += d.toString()));
  const [, launched] = await Promise.all([
    waitForServer(Date.now() + 60_000),
    chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    }),
  ]);
  browser = launched;
});

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  if (server && server.exitCode === null) {
    // Shut the kernels down through the server, then the server itself.
    try {
      const kernels = (await (await fetch(`${baseUrl}api/kernels?token=${token}`)).json()) as { id: string }[];
      await Promise.all(
        kernels.map((kernel) => fetch(`${baseUrl}api/kernels/${kernel.id}?token=${token}`, { method: "DELETE" })),
      );
    } catch {
      // the server is gone already
    }
    const exited = new Promise((r) => server!.once("exit", r));
    server.kill("SIGTERM");
    const timer = setTimeout(() => server!.kill("SIGKILL"), 5000);
    await exited;
    clearTimeout(timer);
  }
  if (prefix) rmSync(prefix, { recursive: true, force: true });
});

/** Text of the training panel's status lines seen in the page, in order (recorded by a MutationObserver). */
declare global {
  interface Window {
    panelStates: string[];
    Jupyter: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  }
}

describe("the classic Notebook in Chromium", () => {
  test("runs the display tour: tensor table, plotly chart, live training panel, diagrams, summary", async () => {
    const page = await newPage();
    const pageErrors: string[] = [];
    page.on("pageerror", (e) => pageErrors.push(e.message));
    await page.goto(`${baseUrl}notebooks/${NOTEBOOK}?token=${token}`, { timeout: 30_000 });
    await page.waitForFunction(
      () =>
        window.Jupyter?.notebook?.kernel?.is_connected?.() &&
        window.Jupyter.notebook.kernel.info_reply?.implementation === "deepts",
      undefined,
      {
        timeout: 45_000,
      },
    );
    await page.evaluate(() => {
      window.panelStates = [];
      const record = () => {
        for (const el of document.querySelectorAll<HTMLElement>(".output_html")) {
          const line = el.innerText.split("\n")[0] ?? "";
          if (line.startsWith("Training ·") && window.panelStates.at(-1) !== line) window.panelStates.push(line);
        }
      };
      new MutationObserver(record).observe(document.body, { subtree: true, childList: true, characterData: true });
    });

    await page.click("#celllink");
    await page.click("#run_all_cells");
    await page.waitForFunction(
      () => {
        if (document.querySelector(".output_error")) return true; // the kernel skips the rest after an error
        const prompts = [...document.querySelectorAll<HTMLElement>(".code_cell .input_prompt")].map((p) => p.innerText);
        return (
          prompts.length > 0 &&
          prompts.every((p) => /\[\d+\]/.test(p)) &&
          document.querySelector("#kernel_indicator_icon.kernel_idle_icon") !== null
        );
      },
      undefined,
      { timeout: 90_000, polling: 250 },
    );

    const errors = await page.locator(".output_error, .output_stderr").allInnerTexts();
    expect(errors, errors.join("\n")).toEqual([]);
    const cells = page.locator(".code_cell");
    const out = (i: number) => cells.nth(i).locator(".output_area");

    // The tensor as a table with its values.
    expect(await out(0).locator("table").count()).toBe(1);
    expect(await out(0).locator("table").innerText()).toMatch(/4\s+5\s+6/);
    // The plot, drawn by plotly.js (inlined by the kernel; no network).
    await out(1).locator(".js-plotly-plot .main-svg").first().waitFor({ timeout: 20_000 });
    expect(await out(1).locator(".js-plotly-plot .main-svg").count()).toBeGreaterThanOrEqual(1);
    // One training panel, updated in place, in its final state.
    expect(await out(2).count()).toBe(1);
    const panel = await out(2).first().innerText();
    expect(panel).toMatch(/Training · epoch 5\/5 .*done in/);
    expect(panel).toMatch(/100%/);
    expect(await out(2).first().locator('img[src^="data:image/svg+xml"]').count()).toBeGreaterThanOrEqual(1);
    const states = await page.evaluate(() => window.panelStates);
    expect(states.length, states.join("\n")).toBeGreaterThanOrEqual(2);
    expect(states.some((s) => !s.includes("done in"))).toBe(true);
    // The model diagram, the summary table and the gradient graph.
    const imageLoaded = (i: number) =>
      out(i)
        .locator('img[src^="data:image/svg+xml"], svg')
        .evaluateAll((els) =>
          els.some((e) =>
            e instanceof HTMLImageElement
              ? e.complete && e.naturalWidth > 0
              : (e as SVGGraphicsElement).getBBox().width > 0,
          ),
        );
    expect(await imageLoaded(3)).toBe(true);
    expect(await out(3).innerText()).not.toMatch(/\S/); // an image, no text
    expect(await out(4).locator("table").innerText()).toMatch(/dense/i);
    expect(await imageLoaded(5)).toBe(true);
    expect(pageErrors).toEqual([]);

    await page.addStyleTag({ content: "html, body, #site { height: auto !important; overflow: visible !important; }" });
    await page.screenshot({ path: join(shots, "notebook.png"), fullPage: true });
    await page.evaluate(() => window.Jupyter.notebook.save_notebook());
    const saved = JSON.parse(readFileSync(join(root, NOTEBOOK), "utf8")) as { cells: { outputs?: unknown[] }[] };
    expect(saved.cells.filter((c) => (c.outputs?.length ?? 0) > 0)).toHaveLength(6);
    await page.close();
  }, 150_000);

  test("nbconvert's HTML export of the executed notebook still shows the charts and diagrams", async () => {
    const file = join(root, NOTEBOOK);
    expect(existsSync(file)).toBe(true);
    const convert = spawnSync("/usr/bin/python3", ["-m", "nbconvert", "--to", "html", file], {
      encoding: "utf8",
      env,
      timeout: 60_000,
    });
    expect(convert.status, convert.stderr).toBe(0);
    const html = join(root, NOTEBOOK.replace(/\.ipynb$/, ".html"));
    const page = await newPage();
    await page.goto(pathToFileURL(html).href, { waitUntil: "load", timeout: 30_000 });
    // Each chart is either plotly's drawing or its static SVG image; diagrams are images.
    const visibleCharts = await page.evaluate(() => {
      const drawn = document.querySelectorAll(".js-plotly-plot .main-svg").length;
      const images = [...document.querySelectorAll<HTMLImageElement>('img[src^="data:image/svg+xml"]')].filter(
        (img) => img.complete && img.naturalWidth > 0,
      ).length;
      return { drawn, images };
    });
    // The plot (drawn or static), the training panel's loss chart, the model diagram, the gradient graph.
    expect(visibleCharts.drawn + visibleCharts.images, JSON.stringify(visibleCharts)).toBeGreaterThanOrEqual(4);
    expect(visibleCharts.images).toBeGreaterThanOrEqual(3);
    expect(await page.locator("table").count()).toBeGreaterThanOrEqual(2);
    expect(await page.innerText("body")).toMatch(/Training · epoch 5\/5 .*done in/);
    await page.screenshot({ path: join(shots, "nbconvert.png"), fullPage: true });
    await page.close();
  }, 90_000);
});
