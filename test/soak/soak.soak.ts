/**
 * `npm run soak`: a class's long sessions. 1,000 cells (SOAK_CELLS) that each build, fit and predict
 * a small model re-using the same names and disposing nothing, and 1,000 cells that each show a
 * chart, on deepts and on ipykernel with PyTorch in the same run; plus each kernel's footprint.
 * Prints the tables and writes them to test-output/soak/.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { repoRoot } from "../kernel/client.js";
import { footprintTable, measureFootprint, type Footprint } from "./footprint.js";
import { deepts, ipykernelTorch, pytorchMissing, type SoakKernel } from "./kernels.js";
import { soakTable, summarise, type SoakFigures } from "./measure.js";
import { soak } from "./run-soak.js";

const CELLS = Number(process.env.SOAK_CELLS ?? 1000);
const EVERY = Math.max(10, Math.round(CELLS / 20));
/** Cells before the figures count: the first cells load TypeScript, the runtime's code paths, plotly. */
const WARM_UP = Math.max(2 * EVERY, Math.round(CELLS / 5));
/** The goal: RSS growth per 100 cells after warm-up. */
const GROWTH_GOAL_MB = 20;
/** Model cells' growth allowed in runs shorter than 1,000 cells, whose slope still holds the warm-up. */
const SHORT_RUN_LIMIT_MB = 60;

const reference = pytorchMissing();
const kernels: SoakKernel[] = reference ? [deepts] : [deepts, ipykernelTorch];
if (reference) console.warn(`soak: the PyTorch reference is skipped: ${reference}`);
const results = { model: [] as SoakFigures[], chart: [] as SoakFigures[], footprint: [] as Footprint[] };

afterAll(() => {
  const report = [
    `## Soak: ${CELLS} cells each, sampled every ${EVERY}, figures after ${WARM_UP} cells of warm-up`,
    "",
    soakTable("build, fit, predict a small model", results.model),
    "",
    soakTable("show a 200-point line chart", results.chart),
    "",
    "## Footprint",
    "",
    footprintTable(results.footprint),
    "",
  ].join("\n");
  console.log(`\n${report}`);
  const dir = join(repoRoot, "test-output/soak");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "soak.md"), report);
  writeFileSync(join(dir, "soak.json"), JSON.stringify(results, null, 2));
});

describe.each(kernels)("$name", (kind) => {
  test(`${CELLS} model cells: RSS flat, tensors bounded`, async () => {
    const samples = await soak(kind, kind.modelCell, { cells: CELLS, every: EVERY });
    const figures = summarise(kind.name, samples, WARM_UP);
    results.model.push(figures);
    if (kind === deepts) {
      // The goal holds over 1,000 cells (docs/soak.md). Over fewer (CI's 200) the slope still holds the
      // warm-up (V8 growing its heap, the type checker's per-cell files): there a looser bound.
      if (figures.growthPer100 > GROWTH_GOAL_MB)
        console.warn(
          `soak: model cells grew ${figures.growthPer100.toFixed(1)} MB / 100 cells (goal ${GROWTH_GOAL_MB})`,
        );
      expect(figures.growthPer100).toBeLessThanOrEqual(CELLS >= 1000 ? GROWTH_GOAL_MB : SHORT_RUN_LIMIT_MB);
      // The user holds one model's 4 weights and 4 optimizer slots plus xs, ys and pred: 11.
      // Tensors of earlier cells wait only for the next collection, never accumulate.
      expect(figures.endTensors).toBeLessThanOrEqual(11 * 3);
      expect(figures.maxTensors).toBeLessThanOrEqual(11 * 40);
    }
  });

  test(`${CELLS} chart cells: RSS flat`, async () => {
    const samples = await soak(kind, kind.chartCell, { cells: CELLS, every: EVERY });
    const figures = summarise(kind.name, samples, WARM_UP);
    results.chart.push(figures);
    if (kind === deepts) expect(figures.growthPer100).toBeLessThanOrEqual(GROWTH_GOAL_MB);
  });

  test("footprint", async () => {
    const cells =
      kind === deepts
        ? { first: "1 + 1", training: kind.modelCell }
        : { first: "1 + 1", training: `${kind.setup}\n${kind.modelCell}` };
    results.footprint.push(await measureFootprint(kind.name, kind.start, cells));
  });
});
