#!/usr/bin/env node
// Builds the tutorial notebooks from their readable sources:
//   notebooks/src/NN-name.md  →  notebooks/NN-name.ipynb   (nbformat 4.5)
// In a source, each ```ts fenced block is a code cell; the markdown between code blocks is a
// markdown cell, split further at lines that hold only `---`.
// The committed notebooks carry the outputs of `deepts run`, so only cells are compared: a notebook
// whose cells (kind, id, text) already match its source is left alone, outputs and all; one that
// differs is rewritten without outputs, to be executed again with `deepts run`.
// Usage: node notebooks/build.mjs          (rewrite the .ipynb files whose cells changed)
//        node notebooks/build.mjs --check  (exit 1 if any .ipynb's cells differ from its source)
import { readFileSync, writeFileSync, readdirSync, existsSync } from "node:fs";
import { join, dirname, basename } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const srcDir = join(here, "src");

/** Splits a source into [{kind: "markdown"|"code", text}] in order. */
function parseCells(source) {
  const cells = [];
  let markdown = [];
  let code = null;
  const flushMarkdown = () => {
    const text = markdown.join("\n").trim();
    if (text) cells.push({ kind: "markdown", text });
    markdown = [];
  };
  for (const line of source.split("\n")) {
    if (code === null && /^```ts\s*$/.test(line)) {
      flushMarkdown();
      code = [];
    } else if (code !== null && /^```\s*$/.test(line)) {
      cells.push({ kind: "code", text: code.join("\n").trim() });
      code = null;
    } else if (code !== null) {
      code.push(line);
    } else if (line.trim() === "---") {
      flushMarkdown();
    } else {
      markdown.push(line);
    }
  }
  if (code !== null) throw new Error("unterminated ```ts block");
  flushMarkdown();
  return cells;
}

/** Jupyter stores cell text as a list of lines, each but the last ending in "\n". */
function toLines(text) {
  const lines = text.split("\n");
  return lines.map((line, i) => (i < lines.length - 1 ? line + "\n" : line));
}

function toNotebook(name, cells) {
  const prefix = name.slice(0, 2);
  return {
    cells: cells.map((cell, i) => {
      const id = `nb${prefix}-${String(i).padStart(3, "0")}`;
      return cell.kind === "markdown"
        ? { cell_type: "markdown", id, metadata: {}, source: toLines(cell.text) }
        : { cell_type: "code", execution_count: null, id, metadata: {}, outputs: [], source: toLines(cell.text) };
    }),
    metadata: {
      kernelspec: { name: "deepts", display_name: "TypeScript (deepts)", language: "typescript" },
      language_info: { name: "typescript", file_extension: ".ts", mimetype: "text/typescript" },
    },
    nbformat: 4,
    nbformat_minor: 5,
  };
}

/** What the source decides about a notebook: each cell's kind, id and text; outputs are not compared. */
function cellsKey(notebook) {
  return JSON.stringify(notebook.cells.map((c) => [c.cell_type, c.id, [c.source].flat().join("")]));
}

/** The notebook at `path`, or undefined when it is missing or not JSON. */
function readExisting(path) {
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch {
    return undefined;
  }
}

const check = process.argv.includes("--check");
let stale = 0;
for (const file of readdirSync(srcDir)
  .filter((f) => f.endsWith(".md"))
  .sort()) {
  const name = basename(file, ".md");
  const cells = parseCells(readFileSync(join(srcDir, file), "utf8"));
  const notebook = toNotebook(name, cells);
  const target = join(here, `${name}.ipynb`);
  const existing = readExisting(target);
  const upToDate = existing?.cells !== undefined && cellsKey(existing) === cellsKey(notebook);
  const code = cells.filter((c) => c.kind === "code").length;
  if (check) {
    if (!upToDate) {
      console.error(
        `${name}.ipynb is out of date; run node notebooks/build.mjs, then deepts run to refresh its outputs`,
      );
      stale++;
    }
  } else if (upToDate) {
    console.log(`${name}.ipynb: up to date, outputs kept (${cells.length} cells, ${code} code)`);
  } else {
    writeFileSync(target, JSON.stringify(notebook, null, 1) + "\n");
    console.log(
      `${name}.ipynb: rebuilt without outputs (${cells.length} cells, ${code} code); run deepts run to refresh them`,
    );
  }
}
process.exit(stale ? 1 : 0);
