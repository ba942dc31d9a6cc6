/**
 * Real Jupyter frontends for browser tests: one Jupyter server from a Python environment with
 * JupyterLab 4 and Notebook 7 (`DEEPTS_JUPYTER_VENV`, else `.venv` in the repository, which CI
 * makes with pip), the deepts kernelspec installed into a temporary prefix, and Chromium pages
 * (playwright-core) that can reach only that server.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { freePort, installKernelspec, repoRoot } from "../kernel/client.js";

export const CHROMIUM = "/usr/bin/chromium";
export const shots = join(repoRoot, "test-output/browser");

/** The Python environment with `jupyter-lab`, or a message saying how to make one. */
export function jupyterVenv(): string {
  const candidates = [process.env.DEEPTS_JUPYTER_VENV, join(repoRoot, ".venv")].filter((p): p is string => !!p);
  const found = candidates.find((p) => existsSync(join(p, "bin/jupyter-lab")));
  if (!found)
    throw new Error(
      "JupyterLab/Notebook 7 browser tests need a Python environment with them: " +
        "python3 -m venv .venv && .venv/bin/pip install jupyterlab notebook ipywidgets (or set DEEPTS_JUPYTER_VENV)",
    );
  return found;
}

export interface JupyterServer {
  url: string;
  token: string;
  root: string;
  configDir: string;
  browser: Browser;
  /** Messages that pages logged as errors or threw, with the page they came from. */
  consoleErrors: string[];
  newPage(viewport?: { width: number; height: number }): Promise<Page>;
  /** Switches the JupyterLab theme for pages loaded from now on (user settings on disk). */
  setTheme(theme: "JupyterLab Light" | "JupyterLab Dark"): void;
  stop(): Promise<void>;
}

/** Starts `jupyter lab` (which serves Notebook 7's /tree and /notebooks pages too) and Chromium. */
export async function startJupyter(tag: string): Promise<JupyterServer> {
  const venv = jupyterVenv();
  const { prefix, env } = installKernelspec(tag);
  const root = join(prefix, "notebooks");
  const configDir = join(prefix, "config");
  mkdirSync(root, { recursive: true });
  mkdirSync(shots, { recursive: true });
  const port = await freePort();
  const token = randomUUID();
  const url = `http://127.0.0.1:${port}/`;
  let log = "";
  const server: ChildProcess = spawn(
    join(venv, "bin/jupyter-lab"),
    [
      `--ServerApp.token=${token}`,
      `--port=${port}`,
      "--port-retries=0",
      "--ip=127.0.0.1",
      "--no-browser",
      "--allow-root",
      `--ServerApp.root_dir=${root}`,
      "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
      "--LabApp.news_url=",
    ],
    { stdio: ["ignore", "pipe", "pipe"], env: { ...env, PATH: `${join(venv, "bin")}:${process.env.PATH}` } },
  );
  server.stdout!.on("data", (d: Buffer) => (log += d.toString()));
  server.stderr!.on("data", (d: Buffer) => (log += d.toString()));
  const deadline = Date.now() + 90_000;
  for (;;) {
    try {
      if ((await fetch(`${url}api/status?token=${token}`)).ok) break;
    } catch {
      // not up yet
    }
    if (server.exitCode !== null) throw new Error(`jupyter lab exited:\n${log}`);
    if (Date.now() > deadline) throw new Error(`jupyter lab did not start:\n${log}`);
    await new Promise((r) => setTimeout(r, 300));
  }
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run", "--disable-sync"],
  });
  const consoleErrors: string[] = [];
  return {
    url,
    token,
    root,
    configDir,
    browser,
    consoleErrors,
    async newPage(viewport = { width: 1400, height: 1000 }) {
      const page = await browser.newPage({ viewport });
      await page.route("**/*", (route) => {
        const u = route.request().url();
        return u.startsWith(url) ||
          u.startsWith(url.replace("http", "ws")) ||
          u.startsWith("data:") ||
          u.startsWith("blob:")
          ? route.continue()
          : route.abort();
      });
      page.on("console", (m) => {
        if (m.type() === "error") consoleErrors.push(`${page.url()}: ${m.text()}`);
      });
      page.on("pageerror", (e) => consoleErrors.push(`${page.url()}: uncaught ${e.message}\n${e.stack ?? ""}`));
      return page;
    },
    setTheme(theme) {
      const dir = join(configDir, "lab/user-settings/@jupyterlab/apputils-extension");
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, "themes.jupyterlab-settings"), JSON.stringify({ theme }));
    },
    async stop() {
      await browser.close().catch(() => undefined);
      if (server.exitCode === null) {
        try {
          const kernels = (await (await fetch(`${url}api/kernels?token=${token}`)).json()) as { id: string }[];
          await Promise.all(
            kernels.map((k) => fetch(`${url}api/kernels/${k.id}?token=${token}`, { method: "DELETE" })),
          );
        } catch {
          // gone already
        }
        const exited = new Promise((r) => server.once("exit", r));
        server.kill("SIGTERM");
        const timer = setTimeout(() => server.kill("SIGKILL"), 5000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(prefix, { recursive: true, force: true });
    },
  };
}

/** WCAG contrast ratio of two CSS colours `rgb(r, g, b)`. */
export function contrast(a: string, b: string): number {
  const lum = (c: string) => {
    const [r, g, bl] = (c.match(/[\d.]+/g) ?? ["0", "0", "0"]).slice(0, 3).map((v) => {
      const s = Number(v) / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

/**
 * The text colours and effective backgrounds of every element with text directly inside it
 * within `selector` (background: the first non-transparent one up the tree).
 */
export async function textColours(page: Page, selector: string): Promise<{ text: string; fg: string; bg: string }[]> {
  return page.evaluate((sel) => {
    const out: { text: string; fg: string; bg: string }[] = [];
    for (const root of document.querySelectorAll(sel)) {
      for (const el of [root, ...root.querySelectorAll("*")]) {
        const own = [...el.childNodes]
          .filter((n) => n.nodeType === Node.TEXT_NODE)
          .map((n) => n.textContent?.trim() ?? "")
          .join(" ")
          .trim();
        if (!own || (el as HTMLElement).offsetParent === null) continue;
        let bg = "rgba(0, 0, 0, 0)";
        for (let p: Element | null = el; p; p = p.parentElement) {
          const c = getComputedStyle(p).backgroundColor;
          if (!/rgba\(.*, 0\)$/.test(c) && c !== "transparent") {
            bg = c;
            break;
          }
        }
        out.push({ text: own.slice(0, 40), fg: getComputedStyle(el).color, bg });
      }
    }
    return out;
  }, selector);
}
