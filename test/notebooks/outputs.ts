/**
 * Reading an executed notebook the way its reader does: the text each cell printed, the figures it
 * drew (plotly JSON, found by title), the outcome of each exercise check; and turning a notebook's
 * exercise stubs into their solutions.
 */
import { allExercises } from "../../src/teach/index.js";

export interface StoredOutput {
  output_type: string;
  name?: string;
  text?: string[] | string;
  data?: Record<string, unknown>;
  ename?: string;
  evalue?: string;
}
export interface StoredCell {
  cell_type: string;
  id?: string;
  source: string[] | string;
  execution_count?: number | null;
  outputs?: StoredOutput[];
}
export interface StoredNotebook {
  cells: StoredCell[];
}

export interface FigureTrace {
  type: string;
  name?: string;
  x?: (number | string)[];
  y?: number[];
  z?: number[][];
}
export interface FigureJson {
  data: FigureTrace[];
  layout: { title?: { text?: string } };
}

const joined = (v: string[] | string | undefined) => [v ?? ""].flat().join("");

export const sourceOf = (cell: StoredCell): string => joined(cell.source);

/** Everything the cells printed (stdout and stderr), in order. */
export function printed(nb: StoredNotebook): string {
  return nb.cells
    .flatMap((c) => c.outputs ?? [])
    .filter((o) => o.output_type === "stream")
    .map((o) => joined(o.text))
    .join("");
}

/** The numbers captured by `pattern` (which must match) in what the notebook printed. */
export function numbersFrom(nb: StoredNotebook, pattern: RegExp): number[] {
  const m = pattern.exec(printed(nb));
  if (!m) throw new Error(`the notebook printed nothing matching ${pattern}`);
  return m.slice(1).map(Number);
}

/** Every plotly figure the notebook displayed. */
export function figures(nb: StoredNotebook): FigureJson[] {
  return nb.cells
    .flatMap((c) => c.outputs ?? [])
    .map((o) => o.data?.["application/vnd.plotly.v1+json"] as FigureJson | undefined)
    .filter((f): f is FigureJson => f !== undefined);
}

/** The figure titled `title` (exactly), or an error listing the titles there are. */
export function figure(nb: StoredNotebook, title: string): FigureJson {
  const all = figures(nb);
  const found = all.find((f) => f.layout.title?.text === title);
  if (!found)
    throw new Error(`no figure titled "${title}"; there are: ${all.map((f) => f.layout.title?.text).join(" | ")}`);
  return found;
}

/** The trace named `name` of a figure. */
export function trace(fig: FigureJson, name: string): FigureTrace {
  const found = fig.data.find((t) => t.name === name);
  if (!found)
    throw new Error(
      `no trace "${name}" in "${fig.layout.title?.text}"; there are: ${fig.data.map((t) => t.name).join(", ")}`,
    );
  return found;
}

const exerciseNames = new Set(allExercises().map((e) => e.name));

/** The exercise whose check (`check.<name>(…)`) a cell ends with, or undefined for other cells. */
export function exerciseOf(cell: StoredCell): string | undefined {
  if (cell.cell_type !== "code") return undefined;
  const last = sourceOf(cell).trim().split("\n").pop() ?? "";
  const name = /^check\.(\w+)\(/.exec(last)?.[1];
  return name !== undefined && exerciseNames.has(name) ? name : undefined;
}

/** Exercise name → the first line of text its check displayed in that cell ("✎ softmax: not done yet." …). */
export function exerciseOutcomes(nb: StoredNotebook): Map<string, string> {
  const out = new Map<string, string>();
  for (const cell of nb.cells) {
    const name = exerciseOf(cell);
    if (!name) continue;
    const shown = (cell.outputs ?? [])
      .map((o) => joined(o.data?.["text/plain"] as string[] | string | undefined))
      .find((t) => t.includes(` ${name}: `));
    out.set(name, shown?.split("\n")[0] ?? "(no check result shown)");
  }
  return out;
}

/**
 * The notebook with every exercise stub replaced by the exercise's solution (the check call stays).
 * The solution must start with the stub's own first line (same name and signature).
 */
export function withSolutions(nb: StoredNotebook): StoredNotebook {
  const solutions = new Map(allExercises().map((e) => [e.name, e.solution]));
  return {
    ...nb,
    cells: nb.cells.map((cell) => {
      const name = exerciseOf(cell);
      if (!name) return cell;
      const solution = solutions.get(name);
      if (!solution) throw new Error(`cell ${cell.id} checks '${name}', which is not an exercise`);
      if (!sourceOf(cell).includes("check.todo()"))
        throw new Error(`cell ${cell.id} (${name}) has no check.todo() stub`);
      const lines = sourceOf(cell).trim().split("\n");
      if (lines[0] !== solution.split("\n")[0])
        throw new Error(
          `cell ${cell.id}: the stub's first line\n  ${lines[0]}\ndiffers from the solution's\n  ${solution.split("\n")[0]}`,
        );
      return { ...cell, source: `${solution}\n${lines[lines.length - 1]}`, outputs: [], execution_count: null };
    }),
  };
}
