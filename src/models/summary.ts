/** The text table of `model.summary()`. */
import type { SummarizableModel, SummaryLayer } from "./model-types.js";

function shapeText(layer: SummaryLayer): string {
  try {
    return JSON.stringify(layer.outputShape);
  } catch {
    return "multiple";
  }
}

function count(weights: { shape: number[] }[]): number {
  return weights.reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1), 0);
}

function pad(text: string, width: number): string {
  return text.length >= width ? text.slice(0, width - 1) + " " : text + " ".repeat(width - text.length);
}

/** Lines of the summary: one row per layer, then total/trainable/non-trainable parameter counts. */
export function formatSummary(model: SummarizableModel, lineLength = 90): string[] {
  const layers = model.layers;
  const functional = model.getClassName() !== "Sequential" && model.isGraph;
  const fractions = functional ? [0.33, 0.55, 0.67, 1] : [0.45, 0.85, 1];
  const widths = fractions.map(
    (f, i) => Math.round(f * lineLength) - (i === 0 ? 0 : Math.round(fractions[i - 1] * lineLength)),
  );
  const row = (cells: string[]) =>
    cells
      .map((c, i) => pad(c, widths[i]))
      .join("")
      .trimEnd();
  const lines: string[] = [`Model: "${model.name}"`, "_".repeat(lineLength)];
  lines.push(
    row(
      functional
        ? ["Layer (type)", "Output shape", "Param #", "Connected to"]
        : ["Layer (type)", "Output shape", "Param #"],
    ),
  );
  lines.push("=".repeat(lineLength));
  layers.forEach((layer, i) => {
    const cells = [`${layer.name} (${layer.getClassName()})`, shapeText(layer), String(count(layer.weights))];
    if (functional) {
      const inbound = layer.inboundNodes
        .filter((n) => model.ownsNode(n))
        .flatMap((n) => n.inboundLayers.map((l, k) => `${l.name}[${n.nodeIndices[k]}][${n.tensorIndices[k]}]`));
      cells.push(inbound.join(", "));
    }
    lines.push(row(cells));
    lines.push(i === layers.length - 1 ? "=".repeat(lineLength) : "_".repeat(lineLength));
  });
  if (layers.length === 0) lines.push("=".repeat(lineLength));
  const trainable = count(model.trainableWeights);
  const total = count(model.weights);
  lines.push(`Total params: ${total.toLocaleString("en-US")}`);
  lines.push(`Trainable params: ${trainable.toLocaleString("en-US")}`);
  lines.push(`Non-trainable params: ${(total - trainable).toLocaleString("en-US")}`);
  lines.push("_".repeat(lineLength));
  return lines;
}

/** Shows a summary its own way (the kernel: an HTML table); returns false to leave it to the console. */
export type SummaryDisplay = (model: SummarizableModel, lines: string[]) => boolean;
let summaryDisplay: SummaryDisplay | undefined;

/**
 * Sets how `model.summary()` without a `printFn` is shown (the kernel shows a table); returns a
 * function that puts the previous one back.
 */
export function setSummaryDisplay(display: SummaryDisplay | undefined): () => void {
  const previous = summaryDisplay;
  summaryDisplay = display;
  return () => {
    summaryDisplay = previous;
  };
}

/** Prints the summary with `printFn`, else through the summary display, else on the console. */
export function printSummary(
  model: SummarizableModel,
  lineLength: number | undefined,
  printFn: ((line: string) => void) | undefined,
): void {
  const lines = formatSummary(model, lineLength);
  if (printFn === undefined && summaryDisplay?.(model, lines)) return;
  for (const line of lines) (printFn ?? console.log)(line);
}
