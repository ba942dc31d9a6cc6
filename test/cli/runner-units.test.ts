/** The pieces of `deepts run` that need no kernel: output collection, Markdown, the HTML page, notebook files. */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { notebookHtml } from "../../src/runner/html.js";
import { renderInline, renderMarkdown } from "../../src/runner/markdown.js";
import { readNotebook, splitLines, writeNotebook, type Notebook, type Output } from "../../src/runner/nbformat.js";
import { OutputCollector } from "../../src/runner/outputs.js";
import type { JupyterMessage } from "../../src/wire/message.js";

function msg(msg_type: string, content: Record<string, unknown>): JupyterMessage {
  return {
    identities: [],
    header: { msg_id: "m", session: "s", username: "u", date: "", msg_type, version: "5.3" },
    parent_header: {},
    metadata: {},
    content,
    buffers: [],
  };
}

describe("OutputCollector", () => {
  test("merges consecutive stream messages of one name, keeps others apart", () => {
    const c = new OutputCollector();
    const outputs: Output[] = [];
    c.startCell(outputs);
    for (const [name, text] of [
      ["stdout", "a"],
      ["stdout", "b\n"],
      ["stderr", "e\n"],
      ["stdout", "c\n"],
    ])
      c.handle(msg("stream", { name, text }));
    expect(outputs).toEqual([
      { output_type: "stream", name: "stdout", text: "ab\n" },
      { output_type: "stream", name: "stderr", text: "e\n" },
      { output_type: "stream", name: "stdout", text: "c\n" },
    ]);
  });

  test("update_display_data replaces every output with that display id, across cells, in place; transient is dropped", () => {
    const c = new OutputCollector();
    const first: Output[] = [];
    const second: Output[] = [];
    c.startCell(first);
    c.handle(msg("display_data", { data: { "text/plain": "0%" }, metadata: {}, transient: { display_id: "p" } }));
    c.handle(msg("execute_result", { execution_count: 1, data: { "text/plain": "x" }, metadata: {} }));
    c.startCell(second);
    c.handle(msg("display_data", { data: { "text/plain": "0%" }, metadata: {}, transient: { display_id: "p" } }));
    c.handle(
      msg("update_display_data", {
        data: { "text/plain": "100%" },
        metadata: { done: true },
        transient: { display_id: "p" },
      }),
    );
    c.handle(
      msg("update_display_data", { data: { "text/plain": "?" }, metadata: {}, transient: { display_id: "unknown" } }),
    );
    expect(first).toEqual([
      { output_type: "display_data", data: { "text/plain": "100%" }, metadata: { done: true } },
      { output_type: "execute_result", execution_count: 1, data: { "text/plain": "x" }, metadata: {} },
    ]);
    expect(second).toEqual([{ output_type: "display_data", data: { "text/plain": "100%" }, metadata: { done: true } }]);
  });

  test("clear_output clears now, or with wait just before the next output", () => {
    const c = new OutputCollector();
    const outputs: Output[] = [];
    c.startCell(outputs);
    c.handle(msg("stream", { name: "stdout", text: "one\n" }));
    c.handle(msg("clear_output", { wait: false }));
    expect(outputs).toEqual([]);
    c.handle(msg("stream", { name: "stdout", text: "two\n" }));
    c.handle(msg("clear_output", { wait: true }));
    expect(outputs).toHaveLength(1);
    c.handle(msg("error", { ename: "Error", evalue: "bad", traceback: ["Error: bad"] }));
    expect(outputs).toEqual([{ output_type: "error", ename: "Error", evalue: "bad", traceback: ["Error: bad"] }]);
  });

  test("a cleared display no longer receives updates", () => {
    const c = new OutputCollector();
    const outputs: Output[] = [];
    c.startCell(outputs);
    c.handle(msg("display_data", { data: { "text/plain": "a" }, metadata: {}, transient: { display_id: "d" } }));
    const cleared = outputs[0]!;
    c.handle(msg("clear_output", { wait: false }));
    c.handle(msg("update_display_data", { data: { "text/plain": "b" }, metadata: {}, transient: { display_id: "d" } }));
    expect(cleared).toMatchObject({ data: { "text/plain": "a" } });
    expect(outputs).toEqual([]);
  });
});

describe("Markdown", () => {
  test("blocks: headings, lists (nested, ordered), code fences, quotes, tables, rules, display math", () => {
    const html = renderMarkdown(
      "## Step 1: *go*\n\nText line\ncontinues.\n\n1. first\n2. second\n   - nested\n\n```python\nif a < b:\n    pass\n```\n\n> quoted\n\n| x | $a|b$ |\n|:--|--:|\n| 1 | 2 |\n\n---\n\n$$\\sum_i x_i$$",
    );
    expect(html).toContain('<h2 id="step-1-go">Step 1: <em>go</em></h2>');
    expect(html).toContain("<p>Text line\ncontinues.</p>");
    expect(html).toMatch(/<ol>\n<li>first<\/li>\n<li>second\n<ul>\n<li>nested<\/li>\n<\/ul><\/li>\n<\/ol>/);
    expect(html).toContain('<pre><code class="language-python">if a &lt; b:\n    pass\n</code></pre>');
    expect(html).toContain("<blockquote>\n<p>quoted</p>\n</blockquote>");
    expect(html).toContain(
      '<th style="text-align:left">x</th><th style="text-align:right"><span class="math">$a|b$</span></th>',
    );
    expect(html).toContain("<hr>");
    expect(html).toContain('<div class="math">$$\\sum_i x_i$$</div>');
    // With a typesetter (the HTML export's KaTeX), maths is HTML and the delimiters are gone.
    const typeset = renderMarkdown("Text $a|b$ and\n\n$$\\sum_i x_i$$", {
      math: (tex, d) => `[${d ? "D" : "i"}:${tex}]`,
    });
    expect(typeset).toBe(
      '<p>Text <span class="math">[i:a|b]</span> and</p>\n<div class="math display">[D:\\sum_i x_i]</div>',
    );
  });

  test("inline: emphasis, code, links, images, math left as text and untouched by emphasis rules", () => {
    expect(renderInline("**bold** and *it* and _it_ and snake_case_name")).toBe(
      "<strong>bold</strong> and <em>it</em> and <em>it</em> and snake_case_name",
    );
    expect(renderInline('`a < b` & [link](https://x.org "t")')).toBe(
      '<code>a &lt; b</code> &amp; <a href="https://x.org" title="t">link</a>',
    );
    expect(renderInline("$a_1 * b_2 * c$ costs $5")).toBe('<span class="math">$a_1 * b_2 * c$</span> costs $5');
    expect(renderInline("![digit](attachment:d.png)", { attachment: (n) => `data:image/png;base64,${n}` })).toBe(
      '<img src="data:image/png;base64,d.png" alt="digit">',
    );
    expect(renderInline("<br> and <script>x</script>")).toBe("<br> and <script>x</script>");
    expect(renderInline("[x](javascript:alert(1))")).toContain('href="#"');
  });
});

describe("notebook files and pages", () => {
  const nb: Notebook = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: [
      { cell_type: "markdown", id: "m", metadata: {}, source: "# T\n" },
      {
        cell_type: "code",
        id: "c",
        metadata: {},
        source: "plot()\nmore",
        execution_count: 3,
        outputs: [
          {
            output_type: "display_data",
            data: {
              "text/html": "<div>x</div>\n<script>Plotly.newPlot(el)</script>",
              "image/png": "iVBORdeeptsTestPng",
              "application/json": { a: 1 },
            },
            metadata: {},
          },
          { output_type: "stream", name: "stderr", text: "\u001b[31mred\u001b[0m\n" },
          { output_type: "stream", name: "stdout", text: "epoch 1\repoch 2\r\nloss 0.5\r\n" },
        ],
      },
    ],
  };

  test("written like Jupyter: sorted keys, text as lists of lines, JSON and images kept whole; read back equal", () => {
    const path = join(mkdtempSync(join(tmpdir(), "deepts-nbformat-")), "x.ipynb");
    writeNotebook(path, nb);
    const text = readFileSync(path, "utf8");
    expect(text).toMatch(/^\{\n "cells": \[/);
    const stored = JSON.parse(text);
    expect(stored.cells[1].source).toEqual(["plot()\n", "more"]);
    expect(stored.cells[1].outputs[0].data).toEqual({
      "application/json": { a: 1 },
      "image/png": "iVBORdeeptsTestPng",
      "text/html": ["<div>x</div>\n", "<script>Plotly.newPlot(el)</script>"],
    });
    expect(readNotebook(path).cells[1]).toMatchObject({ execution_count: 3 });
    expect(splitLines("a\n\nb")).toEqual(["a\n", "\n", "b"]);
  });

  test("bad notebook files are named in the error", () => {
    expect(() => readNotebook("/nonexistent/x.ipynb")).toThrow("/nonexistent/x.ipynb: no such file");
  });

  test("the page inlines plotly.js once when outputs draw with Plotly, strips ANSI codes, shows the richest mime type", () => {
    const html = notebookHtml(nb, "T");
    expect(html.match(/<script data-deepts-plotly="loader">/g)?.length).toBe(1); // in <head>
    expect(html.indexOf("data-deepts-plotly")).toBeLessThan(html.indexOf("<body>"));
    expect(html.match(/<script>/g)?.length).toBe(1); // the output's own script
    expect(html.length).toBeGreaterThan(500_000);
    expect(html.length).toBeLessThan(1_000_000);
    expect(html).toContain("<div>x</div>");
    expect(html).not.toContain("iVBORdeeptsTestPng"); // html outranks png
    expect(html).toContain('<pre class="stream stderr">red\n</pre>');
    expect(html).toContain("In [3]:");
    expect(html).toContain('<pre class="stream stdout">epoch 2\nloss 0.5\n</pre>');
    const plain = notebookHtml({ ...nb, cells: [nb.cells[0]!] }, "T");
    expect(plain.length).toBeLessThan(10_000);
  });
});

describe("deepts run's closing table", () => {
  test("one row per notebook with cells, time, backend and files, a total, and a hint only after cpu or wasm runs", async () => {
    const { slowBackendHint, summaryTable } = await import("../../src/cli/run.js");
    const rows = [
      {
        name: "01-a",
        cellsRun: 22,
        cells: 22,
        seconds: 41.2,
        backend: "native",
        written: ["out/01-a.ipynb", "out/01-a.html"],
      },
      {
        name: "02-b",
        cellsRun: 3,
        cells: 18,
        seconds: 130,
        backend: "native",
        written: ["out/02-b.ipynb"],
        failure: "x",
      },
    ];
    expect(summaryTable(rows).split("\n")).toEqual([
      "notebook  cells        time  backend  written",
      "--------  -----  ----------  -------  ---------------------",
      "✓ 01-a    22/22        41 s  native   01-a.ipynb, 01-a.html",
      "✗ 02-b     3/18  2 min 10 s  native   02-b.ipynb",
      "total     25/40  2 min 51 s",
    ]);
    expect(slowBackendHint(rows)).toBeUndefined();
    expect(slowBackendHint([{ ...rows[0]!, backend: "cpu" }])).toMatch(/plain `cpu` backend .*npm run build:native/);
    expect(slowBackendHint([{ ...rows[0]!, backend: "wasm" }])).toMatch(/ran on `wasm` .*npm run build:native/);
  });
});
