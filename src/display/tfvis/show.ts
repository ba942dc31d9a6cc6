/**
 * `tfvis.show.*`: training histories, live `fit` callbacks, model and layer summaries, value
 * distributions and evaluation tables, drawn into the cell's output.
 */
import type { Figure } from "../figure.js";
import { isTensorLike, numericValues, type TensorLike } from "../tensor-like.js";
import { SHOWS_TRAINING } from "../training.js";
import { histogramOn, lineFigure } from "./charts.js";
import { confusionMatrix as renderConfusionMatrix } from "./render.js";
import { resolveSurface, surfaceOutput, type PartOutput, type ResolvedSurface } from "./surfaces.js";
import { bundleValue, tableBundle } from "./table.js";
import type {
  Drawable,
  FitCallbackHandlers,
  FitCallbackOptions,
  HistogramStats,
  HistoryLike,
  HistoryOptions,
  LayerLike,
  Logs,
  ModelLike,
  Point2D,
} from "./types.js";

/** A log value as a number (logs may hold scalar tensors); missing values are gaps. */
function logValue(v: unknown): number {
  if (typeof v === "number") return v;
  if (isTensorLike(v)) return numericValues(v)[0] ?? NaN;
  return NaN;
}

/** The points of one metric: from a History, an array of logs, or the metric's own array of logs. */
function metricPoints(history: HistoryLike, metric: string, index: number, what: string): Point2D[] {
  if (Array.isArray(history)) {
    const logs = (Array.isArray(history[0]) ? history[index] : history) as Logs[] | undefined;
    if (!Array.isArray(logs)) throw new Error(`${what}: no list of logs for metric '${metric}' (index ${index})`);
    return logs.map((log, x) => ({ x, y: logValue(log?.[metric]) }));
  }
  const series = (history as { history?: Record<string, ArrayLike<unknown>> } | null)?.history;
  if (!series || typeof series !== "object")
    throw new Error(
      `${what}: history must be what model.fit returns ({ history: { loss: [...] } }) or an array of logs`,
    );
  const values = series[metric];
  if (!values)
    throw new Error(
      `${what}: the history has no metric '${metric}' (it has ${Object.keys(series).join(", ") || "none"})`,
    );
  return Array.from(values, (y, x) => ({ x, y: logValue(y) }));
}

/**
 * One line chart per metric group (a metric with its `val_` twin), as tfjs-vis groups them;
 * accuracy charts span 0..1 unless `zoomToFitAccuracy`.
 */
function historyFigures(
  title: string,
  history: HistoryLike,
  metrics: string[],
  opts: HistoryOptions,
  what: string,
): { group: string; make: () => Figure }[] {
  if (!Array.isArray(metrics) || metrics.some((m) => typeof m !== "string"))
    throw new Error(`${what}: metrics must be an array of metric names, e.g. ['loss', 'val_loss', 'acc']`);
  const groups = new Map<string, string[]>();
  for (const metric of metrics) {
    const group = /val_/.test(metric) ? metric.replace("val_", "") : metric;
    groups.set(group, [...(groups.get(group) ?? []), metric]);
  }
  return [...groups].map(([group, series]) => ({
    group,
    make: () => {
      const values = series.map((m) => metricPoints(history, m, metrics.indexOf(m), what));
      const o: HistoryOptions = { xLabel: "Iteration", yLabel: "Value", ...opts };
      if (series.every((s) => /acc/.test(s))) {
        if (o.zoomToFitAccuracy) o.zoomToFit = true;
        else {
          o.yAxisDomain = [0, 1];
          delete o.zoomToFit;
        }
      }
      return lineFigure(`${title} · ${group}`, { values, series }, o, what, true);
    },
  }));
}

/**
 * Line charts of a training history, one per metric group (`loss` with `val_loss` …), from what
 * `model.fit` returns or an array of logs.
 * @example
 * const history = await model.fit(xs, ys, { epochs: 5, validationSplit: 0.2 });
 * tfvis.show.history({ name: "History" }, history, ["loss", "val_loss", "acc", "val_acc"]);
 */
export async function history(
  container: Drawable,
  history: HistoryLike,
  metrics: string[],
  opts: HistoryOptions = {},
): Promise<void> {
  const what = "tfvis.show.history";
  const surface = resolveSurface(container, what);
  const figures = historyFigures(surface.name, history, metrics, opts, what);
  const made = figures.map((f) => ({ group: f.group, figure: f.make() }));
  for (const { group, figure } of made) surfaceOutput(surface, group).show(figure);
}

/**
 * Callbacks for `model.fit` that chart the given metrics live, one chart per metric group for each
 * callback (`onEpochEnd`, `onBatchEnd`: `opts.callbacks`, default both), updated in place while
 * training runs. The kernel's own training panel steps aside for them.
 * @example
 * await model.fit(xs, ys, { epochs: 50,
 *   callbacks: tfvis.show.fitCallbacks({ name: "Training Performance" }, ["loss", "mse"], { height: 200, callbacks: ["onEpochEnd"] }) });
 */
export function fitCallbacks(
  container: Drawable,
  metrics: string[],
  opts: FitCallbackOptions = {},
): FitCallbackHandlers {
  const what = "tfvis.show.fitCallbacks";
  const surface: ResolvedSurface = resolveSurface(container, what);
  if (!Array.isArray(metrics) || metrics.some((m) => typeof m !== "string"))
    throw new Error(`${what}: metrics must be an array of metric names, e.g. ['loss', 'acc']`);
  const { callbacks: names = ["onEpochEnd", "onBatchEnd"], ...historyOpts } = opts;
  if (!Array.isArray(names) || names.some((n) => typeof n !== "string"))
    throw new Error(`${what}: opts.callbacks must be an array of callback names, e.g. ['onEpochEnd', 'onBatchEnd']`);
  // Per callback, per metric: the logs seen so far (the x axis counts them, as in tfjs-vis).
  const seen = new Map<string, Map<string, Logs[]>>();
  const live = new Set<PartOutput>();
  const handlers: FitCallbackHandlers = {};
  for (const name of names) {
    const xLabel = /batch/i.test(name) ? "Batch" : /epoch/i.test(name) ? "Epoch" : undefined;
    handlers[name] = async (_iteration: number, log?: Logs) => {
      let perMetric = seen.get(name);
      if (!perMetric) seen.set(name, (perMetric = new Map()));
      const present: string[] = [];
      const logs: Logs[][] = [];
      for (const metric of metrics) {
        if (log?.[metric] === undefined || log[metric] === null) continue;
        let list = perMetric.get(metric);
        if (!list) perMetric.set(metric, (list = []));
        list.push({ [metric]: logValue(log[metric]) });
        present.push(metric);
        logs.push(list);
      }
      if (present.length === 0) return;
      const o = { ...historyOpts, ...(xLabel ? { xLabel } : {}) };
      // Drawn when the live output sends it (a few times a second), from the logs as they are then.
      for (const { group, make } of historyFigures(`${surface.name} · ${name}`, logs, present, o, what)) {
        const out = surfaceOutput(surface, `${name}/${group}`);
        out.showLive(make);
        live.add(out);
      }
    };
  }
  const finish = () => {
    for (const out of live) out.finish();
    live.clear();
  };
  // Not enumerable: the object lists the callbacks tfjs-vis returns; `fit` still calls these.
  const charted = handlers.onTrainEnd;
  Object.defineProperties(handlers, {
    onTrainEnd: {
      value: async (iteration: number, log?: Logs) => {
        await charted?.(iteration, log);
        finish();
      },
      enumerable: charted !== undefined,
    },
    onTrainAbort: { value: () => finish(), enumerable: false },
    [SHOWS_TRAINING]: { value: true, enumerable: false },
  });
  return handlers;
}

/** `[batch,10]`; several outputs `[[batch,10], [batch,2]]`; a rank-0 shape `Scalar`. */
function shapeText(shape: unknown): string {
  if (!Array.isArray(shape)) return "?";
  if (shape.length > 0 && shape.every(Array.isArray)) return `[${shape.map(shapeText).join(", ")}]`;
  if (shape.length === 0) return "Scalar";
  return `[${shape.map((d, i) => (d === null && i === 0 ? "batch" : String(d))).join(",")}]`;
}

function layerOutputShape(layer: LayerLike): string {
  try {
    return shapeText(layer.outputShape);
  } catch {
    return "?"; // not built yet
  }
}

/**
 * A table of the model's layers: name, output shape, number of parameters, trainable.
 * @example tfvis.show.modelSummary({ name: "Model Summary" }, model);
 */
export async function modelSummary(container: Drawable, model: ModelLike): Promise<void> {
  const what = "tfvis.show.modelSummary";
  const surface = resolveSurface(container, what);
  if (!model || !Array.isArray(model.layers)) throw new Error(`${what}: expected a model (with layers)`);
  const rows = model.layers.map((l) => [l.name, layerOutputShape(l), l.countParams(), l.trainable ?? true]);
  surfaceOutput(surface, "").show(
    bundleValue(tableBundle(surface.name, ["Layer Name", "Output Shape", "# Of Params", "Trainable"], rows)),
  );
}

/** Statistics of a tensor's values (what tfjs-vis shows for weights and value distributions). */
function tensorStats(t: TensorLike): HistogramStats {
  const v = numericValues(t);
  let min = Infinity;
  let max = -Infinity;
  let numZeros = 0;
  let numNans = 0;
  let numInfs = 0;
  for (const x of v) {
    if (Number.isNaN(x)) numNans++;
    else {
      if (x < min) min = x;
      if (x > max) max = x;
      if (x === 0) numZeros++;
      if (!Number.isFinite(x)) numInfs++;
    }
  }
  const allNan = numNans === v.length;
  return { numVals: v.length, numZeros, numNans, min: allNan ? NaN : min, max: allNan ? NaN : max, numInfs };
}

/**
 * A layer's weights: a table of each weight's shape, min, max, size, zeros, NaNs and infinities,
 * and a histogram of each weight's values.
 * @example tfvis.show.layer({ name: "Layer 1" }, model.getLayer(undefined, 1));
 */
export async function layer(container: Drawable, layer: LayerLike): Promise<void> {
  const what = "tfvis.show.layer";
  const surface = resolveSurface(container, what);
  if (!layer || typeof layer.getWeights !== "function")
    throw new Error(`${what}: expected a layer (with getWeights())`);
  const weights = layer.getWeights();
  const names = weights.map((_, i) => layer.weights?.[i]?.name ?? `weight ${i}`);
  const stats = weights.map(tensorStats);
  const rows = weights.map((w, i) => [
    names[i],
    shapeText(w.shape),
    stats[i]!.min,
    stats[i]!.max,
    w.shape.reduce((a, b) => a * b, 1),
    stats[i]!.numZeros,
    stats[i]!.numNans,
    stats[i]!.numInfs,
  ]);
  surfaceOutput(surface, "weights").show(
    bundleValue(
      tableBundle(
        surface.name,
        ["Weight Name", "Shape", "Min", "Max", "# Params", "# Zeros", "# NaNs", "# Infinity"],
        rows,
      ),
    ),
  );
  weights.forEach((w, i) =>
    histogramOn(
      surface,
      numericValues(w),
      { height: 150, width: 460, stats: false },
      `weight ${i}`,
      `${surface.name} · ${names[i]}`,
    ),
  );
}

/**
 * A histogram of all values of a tensor, with their statistics.
 * @example tfvis.show.valuesDistribution({ name: "Values" }, tf.tensor1d([0, 0, 0, 0, 2, 3, 4]));
 */
export async function valuesDistribution(container: Drawable, tensor: TensorLike): Promise<void> {
  const what = "tfvis.show.valuesDistribution";
  const surface = resolveSurface(container, what);
  if (!isTensorLike(tensor)) throw new Error(`${what}: expected a tensor`);
  histogramOn(surface, numericValues(tensor), { height: 150, stats: tensorStats(tensor) });
}

/**
 * A table of each class's accuracy and number of samples (what `metrics.perClassAccuracy` returns).
 * @example
 * const acc = await tfvis.metrics.perClassAccuracy(labels, predictions);
 * tfvis.show.perClassAccuracy({ name: "Accuracy" }, acc, ["cat", "dog", "mouse"]);
 */
export async function perClassAccuracy(
  container: Drawable,
  classAccuracy: { accuracy: number; count: number }[],
  classLabels?: string[],
): Promise<void> {
  const what = "tfvis.show.perClassAccuracy";
  const surface = resolveSurface(container, what);
  if (!Array.isArray(classAccuracy)) throw new Error(`${what}: expected an array of { accuracy, count }`);
  const rows = classAccuracy.map((c, i) => [classLabels ? classLabels[i] : String(i), c.accuracy, c.count]);
  surfaceOutput(surface, "").show(bundleValue(tableBundle(surface.name, ["Class", "Accuracy", "# Samples"], rows)));
}

/**
 * A confusion matrix (tfjs-vis 1.x's `show.confusionMatrix`; newer code calls `render.confusionMatrix`).
 * @example tfvis.show.confusionMatrix({ name: "Confusion" }, await tfvis.metrics.confusionMatrix(labels, preds), ["cat", "dog"]);
 */
export async function confusionMatrix(
  container: Drawable,
  confusionMatrix: number[][],
  classLabels?: string[],
): Promise<void> {
  await renderConfusionMatrix(container, {
    values: confusionMatrix,
    ...(classLabels ? { tickLabels: classLabels } : {}),
  });
}
