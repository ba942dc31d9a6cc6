/** `deepts run` as a user runs it: real kernel processes over ZeroMQ (needs `dist/` built). */
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { describe, expect, test } from "vitest";

const main = resolve(import.meta.dirname, "../../dist/cli/main.js");

interface Cell {
  cell_type: string;
  source: string[] | string;
  execution_count?: number | null;
  outputs?: Record<string, unknown>[];
}

let cellId = 0;
function notebook(cells: [type: "markdown" | "code", source: string][]): string {
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: "deepts", display_name: "TypeScript (deepts)", language: "typescript" } },
    cells: cells.map(([type, source]) =>
      type === "code"
        ? { cell_type: "code", id: `c${++cellId}`, metadata: {}, source, execution_count: null, outputs: [] }
        : { cell_type: "markdown", id: `c${++cellId}`, metadata: {}, source },
    ),
  });
}

function tempNotebooks(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "deepts-run-test-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Pids of the processes the run started (its kernels), seen while it ran. */
  children: Set<number>;
  seconds: number;
}

function childPids(pid: number): number[] {
  try {
    return execFileSync("pgrep", ["-P", String(pid)], { encoding: "utf8" })
      .split("\n")
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

function deeptsRun(args: string[], cwd: string): Promise<RunResult> {
  const t0 = performance.now();
  const proc = spawn(process.execPath, [main, "run", ...args], { cwd, stdio: ["ignore", "pipe", "pipe"] });
  const result: RunResult = { code: null, stdout: "", stderr: "", children: new Set(), seconds: 0 };
  proc.stdout.on("data", (d: Buffer) => (result.stdout += d.toString()));
  proc.stderr.on("data", (d: Buffer) => (result.stderr += d.toString()));
  const watch = setInterval(() => childPids(proc.pid!).forEach((p) => result.children.add(p)), 100);
  return new Promise((res) =>
    proc.once("close", (code) => {
      clearInterval(watch);
      result.code = code;
      result.seconds = (performance.now() - t0) / 1000;
      res(result);
    }),
  );
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const text = (v: unknown) => [v].flat().join("");
const readNb = (path: string) =>
  JSON.parse(readFileSync(path, "utf8")) as { cells: Cell[]; metadata: Record<string, unknown> };

describe("deepts run", () => {
  test("executes a notebook and stores its outputs as Jupyter would (valid nbformat), and an HTML page", async () => {
    const dir = tempNotebooks({
      "demo.ipynb": notebook([
        ["markdown", "# A demo\n\nSome *emphasis*, `code` and $e^{i\\pi} + 1 = 0$.\n\n| a | b |\n|---|---|\n| 1 | 2 |"],
        ["code", 'console.log("hello");\nconsole.log("world");\nconst answer: number = 6 * 7;'],
        ["code", "answer"],
        [
          "code",
          'const progress = display("step 0", { id: true });\ndisplay({ [Symbol.for("Jupyter.display")]: () => ({ "text/html": "<b id=\'bold-output\'>bold</b>", "text/plain": "bold" }) });',
        ],
        ["code", 'progress.update("step 3");\nconsole.log("gone");\ndisplay.clear(true);\nconsole.log("kept");'],
        ["code", "   "],
      ]),
    });
    const r = await deeptsRun(["demo.ipynb", "--html"], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/\[demo\] cell 1\/4 ✓ [\d.]+ s/);
    expect(r.stderr).toMatch(/\[demo\] cell 4\/4 ✓/);

    const out = join(dir, "out/demo.ipynb");
    execFileSync("/usr/bin/python3", [
      "-c",
      "import nbformat, sys; nbformat.validate(nbformat.read(sys.argv[1], 4))",
      out,
    ]);
    const nb = readNb(out);
    expect((nb.metadata.language_info as { name: string }).name).toBe("typescript");
    const [md, c1, c2, c3, c4, empty] = nb.cells;
    expect(md!.cell_type).toBe("markdown");
    expect(c1!.execution_count).toBe(1);
    expect(c1!.outputs).toEqual([{ output_type: "stream", name: "stdout", text: ["hello\n", "world\n"] }]);
    expect(c2!.execution_count).toBe(2);
    expect(c2!.outputs).toEqual([
      { output_type: "execute_result", execution_count: 2, data: { "text/plain": ["42"] }, metadata: {} },
    ]);
    expect(c3!.execution_count).toBe(3);
    // the later cell's update replaced the display in place; transient display ids are not stored
    expect(c3!.outputs).toHaveLength(2);
    expect(text((c3!.outputs![0]!.data as Record<string, unknown>)["text/plain"])).toContain("step 3");
    expect(c3!.outputs![0]).not.toHaveProperty("transient");
    expect((c3!.outputs![1]!.data as Record<string, unknown>)["text/html"]).toEqual(["<b id='bold-output'>bold</b>"]);
    expect(c4!.execution_count).toBe(4);
    expect(c4!.outputs).toEqual([{ output_type: "stream", name: "stdout", text: ["kept\n"] }]);
    expect(empty!.execution_count).toBe(null);

    const html = readFileSync(join(dir, "out/demo.html"), "utf8");
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain('<h1 id="a-demo">A demo</h1>');
    expect(html).toContain("<em>emphasis</em>");
    expect(html).toMatch(/<span class="math"><span class="katex">.*<\/span><\/span>\.<\/p>/); // typeset, not "$e^{i\\pi} + 1 = 0$"
    expect(html).toContain("<td>2</td>");
    expect(html).toContain("hello\nworld\n");
    expect(html).toContain("<b id='bold-output'>bold</b>");
    expect(html).toContain("step 3");
    expect(html).toContain('<pre class="stream stdout">kept\n</pre>');
    expect(html).not.toContain('<pre class="stream stdout">gone');
    expect(html).not.toMatch(/<script src=|<link [^>]*href="http/); // nothing fetched from the network
    for (const pid of r.children) expect(alive(pid)).toBe(false);
  });

  test("--html pages draw plotly charts offline and typeset maths (Chromium, network blocked)", async () => {
    const dir = tempNotebooks({
      "chart.ipynb": notebook([
        [
          "markdown",
          "The sigmoid $\\sigma(z) = \\frac{1}{1 + e^{-z}}$, and a sum:\n\n$$\\mathbf{w} \\leftarrow \\mathbf{w} - \\eta \\sum_i \\nabla_{\\mathbf{w}} L_i$$",
        ],
        ["code", 'plot.line([1, 4, 9, 16], { title: "squares" })'],
        ["code", 'plot.bar([3, 1, 2], { title: "bars" })'],
        ["code", "display.latex(String.raw`$$\\int_0^1 x^2\\,dx = \\tfrac{1}{3}$$`)"],
      ]),
    });
    const r = await deeptsRun(["chart.ipynb", "--html"], dir);
    expect(r.code, r.stderr).toBe(0);
    // The notebook: each chart cell carries plotly.js (so it draws after a reload); the page: once.
    const saved = readFileSync(join(dir, "out/chart.ipynb"), "utf8");
    expect(saved.match(/data-deepts-plotly=/g)?.length).toBe(2);
    const page = readFileSync(join(dir, "out/chart.html"), "utf8");
    expect(page.match(/data-deepts-plotly=/g)?.length).toBe(1);
    expect(page.length).toBeLessThan(1_500_000);
    expect(page).toMatch(/@font-face\{[^}]*src:url\(data:font\/woff2;base64,/);
    expect(page).not.toMatch(/url\((?!data:)/);
    const browser = await chromium.launch({
      executablePath: "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu"],
    });
    try {
      const page = await browser.newPage();
      const blocked: string[] = [];
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      await page.route("**/*", (route) => {
        const url = route.request().url();
        if (url.startsWith("file:") || url.startsWith("data:")) return route.continue();
        blocked.push(url);
        return route.abort();
      });
      mkdirSync(join(import.meta.dirname, "../../test-output/browser"), { recursive: true });
      await page.goto(pathToFileURL(join(dir, "out/chart.html")).href);
      await page.waitForFunction(() => document.querySelectorAll(".deepts-plot .main-svg").length >= 2, undefined, {
        timeout: 20_000,
      });
      expect(await page.evaluate(() => typeof (window as unknown as { Plotly?: unknown }).Plotly)).toBe("object");
      // Maths typeset: KaTeX boxes with their fonts loaded, and no TeX delimiter left in any text node.
      expect(await page.locator(".katex").count()).toBe(3);
      const dollars = await page.evaluate(() => {
        const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        const found: string[] = [];
        for (let n = walker.nextNode(); n; n = walker.nextNode())
          if (n.textContent?.includes("$") && !n.parentElement?.closest("script, pre, code")) found.push(n.textContent);
        return found;
      });
      expect(dollars).toEqual([]);
      await page.evaluate(() => document.fonts.ready);
      expect(
        await page.evaluate(() => document.fonts.check("16px KaTeX_Main") && document.fonts.check("16px KaTeX_Math")),
      ).toBe(true);
      await page.screenshot({
        path: join(import.meta.dirname, "../../test-output/browser/deepts-run-page.png"),
        fullPage: true,
      });
      expect(errors).toEqual([]);
      expect(blocked).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  test("a failing cell stops its notebook (partial notebook written), the next notebook still runs, exit code 1", async () => {
    const dir = tempNotebooks({
      "bad.ipynb": notebook([
        ["code", 'console.log("before")'],
        ["code", 'const x: number = 1;\nthrow new RangeError("boom " + x)'],
        ["code", 'console.log("never")'],
      ]),
      "good.ipynb": notebook([["code", "1 + 1"]]),
    });
    const r = await deeptsRun(["bad.ipynb", "good.ipynb", "--out", "results"], dir);
    expect(r.code).toBe(1);
    // The failing line, not the cell's first line; then the closing table.
    expect(r.stderr).toContain(
      'bad.ipynb: cell 2/3 (cell 2 of the notebook, line 2: throw new RangeError("boom " + x))',
    );
    expect(r.stderr).toMatch(/\[1\/2\] bad: 3 code cells/);
    expect(r.stderr).toMatch(/notebook +cells +time +backend +written/);
    expect(r.stderr).toMatch(/✗ bad +1\/3 .* (native|wasm|cpu|webgpu) +bad\.ipynb/);
    expect(r.stderr).toMatch(/✓ good +1\/1 /);
    expect(r.stderr).toMatch(/total +2\/4 /);
    expect(r.stderr).toContain("RangeError: boom 1");
    expect(r.stderr).toContain("1 of 2 notebooks failed");
    const bad = readNb(join(dir, "results/bad.ipynb"));
    expect(bad.cells.map((c) => c.execution_count)).toEqual([1, 2, null]);
    expect(bad.cells[1]!.outputs).toEqual([
      expect.objectContaining({ output_type: "error", ename: "RangeError", evalue: "boom 1" }),
    ]);
    expect(bad.cells[2]!.outputs).toEqual([]);
    const good = readNb(join(dir, "results/good.ipynb"));
    expect(good.cells[0]!.outputs).toEqual([
      { output_type: "execute_result", execution_count: 1, data: { "text/plain": ["2"] }, metadata: {} },
    ]);
    expect(r.children.size).toBeGreaterThanOrEqual(2);
    for (const pid of r.children) expect(alive(pid)).toBe(false);
  });

  test("--timeout interrupts a cell that never ends, shuts the kernel down and exits non-zero", async () => {
    const dir = tempNotebooks({
      "loop.ipynb": notebook([
        ["code", 'console.log("started")'],
        ["code", "while (true) {}"],
        ["code", 'console.log("never")'],
      ]),
    });
    const r = await deeptsRun(["loop.ipynb", "--timeout", "2"], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("loop.ipynb: cell 2/3");
    expect(r.stderr).toContain("timed out after 2 s");
    expect(r.seconds).toBeLessThan(40);
    expect(r.children.size).toBe(1);
    for (const pid of r.children) expect(alive(pid), `kernel ${pid} still running`).toBe(false);
    const nb = readNb(join(dir, "out/loop.ipynb"));
    expect(nb.cells[0]!.outputs).toEqual([{ output_type: "stream", name: "stdout", text: ["started\n"] }]);
    expect(nb.cells[2]!.execution_count).toBe(null);
  });

  test("bad input gets a clear message", async () => {
    const dir = tempNotebooks({ "not-json.ipynb": "{ nope" });
    const none = await deeptsRun([], dir);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("run needs at least one notebook");
    const badTimeout = await deeptsRun(["x.ipynb", "--timeout", "soon"], dir);
    expect(badTimeout.code).toBe(2);
    expect(badTimeout.stderr).toContain("--timeout needs a positive number of seconds");
    const missing = await deeptsRun(["missing.ipynb", "not-json.ipynb"], dir);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("missing.ipynb: no such file");
    expect(missing.stderr).toContain("not-json.ipynb: not a notebook");
    expect(missing.children.size).toBe(0);
    expect(existsSync(join(dir, "out"))).toBe(false);
  });
});
