/**
 * Duck-typed training histories (what `await model.fit(…)` returns): `{ history: { loss: [...] },
 * epoch: [...] }`, shown as a small table of each metric's first, last and best value instead of
 * the object (which carries the whole model).
 */
import { MUTED_TEXT } from "./colors.js";
import { escapeXml, formatNumber } from "./markup.js";
import type { MimeBundle } from "./sink.js";

export interface HistoryLike {
  history: Record<string, ArrayLike<number>>;
  epoch: ArrayLike<number>;
}

/** True for `{ history: { name: number[] }, epoch: number[] }` objects. */
export function isHistoryLike(value: unknown): value is HistoryLike {
  if (value === null || typeof value !== "object") return false;
  const v = value as Record<string, unknown>;
  if (!isNumberList(v.epoch) || v.history === null || typeof v.history !== "object" || Array.isArray(v.history))
    return false;
  return Object.values(v.history as object).every(isNumberList);
}

function isNumberList(v: unknown): v is ArrayLike<number> {
  return (
    (Array.isArray(v) && v.every((x) => typeof x === "number")) ||
    v instanceof Float32Array ||
    v instanceof Float64Array
  );
}

interface MetricRow {
  name: string;
  first: number;
  last: number;
  best: number;
  bestEpoch: number;
}

function metricRows(h: HistoryLike): MetricRow[] {
  return Object.entries(h.history)
    .filter(([, values]) => values.length > 0)
    .map(([name, values]) => {
      // Accuracy-like metrics improve upwards, losses and errors downwards.
      const higherIsBetter = /acc|precision|recall|auc|f1/i.test(name);
      let best = 0;
      for (let i = 1; i < values.length; i++) {
        const better = higherIsBetter ? values[i]! > values[best]! : values[i]! < values[best]!;
        if (better) best = i;
      }
      return {
        name,
        first: values[0]!,
        last: values[values.length - 1]!,
        best: values[best]!,
        // 1-based, as the training panel and `fit`'s progress lines count epochs (TF.js's `epoch` array is 0-based).
        bestEpoch: (h.epoch[best] ?? best) + 1,
      };
    });
}

function heading(h: HistoryLike): string {
  const n = h.epoch.length;
  return `History: ${n} epoch${n === 1 ? "" : "s"}`;
}

/** The text table: one row per metric with its first, last and best value (and the best epoch). */
export function historyText(h: HistoryLike): string {
  const rows = metricRows(h);
  if (rows.length === 0) return `${heading(h)}, no metrics logged`;
  const table = [
    ["metric", "first", "last", "best", "best epoch"],
    ...rows.map((r) => [
      r.name,
      formatNumber(r.first),
      formatNumber(r.last),
      formatNumber(r.best),
      String(r.bestEpoch),
    ]),
  ];
  const widths = table[0]!.map((_, c) => Math.max(...table.map((row) => row[c]!.length)));
  const lines = table.map((row) =>
    row
      .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
      .join("  ")
      .trimEnd(),
  );
  return [heading(h), ...lines].join("\n");
}

/** The history as `text/plain` and a small `text/html` table. */
export function historyBundle(h: HistoryLike): MimeBundle {
  const rows = metricRows(h);
  const cell = (s: string, th = false) =>
    `<${th ? "th" : "td"} style="padding:2px 8px;text-align:${th ? "left" : "right"}">${escapeXml(s)}</${th ? "th" : "td"}>`;
  const head = `<tr>${["metric", "first", "last", "best", "best epoch"].map((s) => cell(s, true)).join("")}</tr>`;
  const body = rows
    .map(
      (r) =>
        `<tr>${cell(r.name, true)}${cell(formatNumber(r.first))}${cell(formatNumber(r.last))}${cell(formatNumber(r.best))}${cell(String(r.bestEpoch))}</tr>`,
    )
    .join("");
  const html = `<div style="font-family:sans-serif;font-size:13px"><div style="color:${MUTED_TEXT};margin-bottom:2px">${escapeXml(heading(h))}</div>${rows.length ? `<table style="border-collapse:collapse">${head}${body}</table>` : ""}</div>`;
  return { "text/plain": historyText(h), "text/html": html };
}
