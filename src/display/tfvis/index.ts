/**
 * `tfvis`: tfjs-vis's API (`@tensorflow/tfjs-vis`) for notebooks, so TF.js tutorials that chart with
 * it run unchanged. Charts and tables show inline in the cell's output through deepts's display
 * layer; the surface a call names is the chart's title, and a second call to the same surface in
 * the same cell run replaces its output.
 *
 * @example
 * tfvis.render.scatterplot({ name: "Horsepower v MPG" }, { values: [{ x: 130, y: 18 }, { x: 165, y: 15 }] });
 * await model.fit(xs, ys, { epochs: 10, callbacks: tfvis.show.fitCallbacks({ name: "Training" }, ["loss"]) });
 */
/** Charts: `scatterplot`, `linechart`, `barchart`, `histogram`, `heatmap`, `confusionMatrix`, `table`. */
export * as render from "./render.js";
/** Models and tensors: `history`, `fitCallbacks`, `modelSummary`, `layer`, `valuesDistribution`, `perClassAccuracy`, `confusionMatrix`. */
export * as show from "./show.js";
/** Classification metrics from label and prediction tensors: `accuracy`, `perClassAccuracy`, `confusionMatrix`. */
export * as metrics from "./metrics.js";
export { visor, Visor } from "./visor.js";

/** The tfjs-vis version whose API this follows. */
export const version_vis = "1.5.1";

export type * from "./types.js";
