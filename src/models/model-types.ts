/**
 * What the model's helpers (saving, the summary table) need from a model, as interfaces: they take
 * the model by these, so `model.ts` can use them without them importing `model.ts` back.
 */
import type * as tf from "./core.js";
import type { Shape } from "./topology.js";

/** A weight as saving sees it. */
export interface SavableWeight {
  readonly originalName: string;
  readonly shape: number[];
  readonly dtype: "float32" | "int32" | "bool";
  read(): tf.Tensor;
}

/** A model that can be written in the layers-model format. */
export interface SavableModel {
  getClassName(): string;
  /** The Keras topology config (camelCase). */
  getConfig(): Record<string, unknown>;
  readonly weights: SavableWeight[];
  /** Saved with the model (`model.setUserDefinedMetadata`). */
  getUserDefinedMetadata?(): Record<string, unknown> | undefined;
  /** The compile options as TF.js saves them (`save(…, { includeOptimizer: true })`). */
  getTrainingConfig?(): Record<string, unknown>;
}

/** One call of a layer, as the summary lists it. */
export interface SummaryNode {
  readonly inboundLayers: { readonly name: string }[];
  readonly nodeIndices: number[];
  readonly tensorIndices: number[];
}

/** A layer row of the summary. */
export interface SummaryLayer {
  readonly name: string;
  getClassName(): string;
  readonly outputShape: Shape | Shape[];
  readonly weights: { readonly shape: number[] }[];
  readonly inboundNodes: readonly SummaryNode[];
}

/** A model as `model.summary()` prints it. */
export interface SummarizableModel {
  readonly name: string;
  getClassName(): string;
  readonly layers: SummaryLayer[];
  /** Whether the model is a graph of layers (functional or sequential). */
  readonly isGraph: boolean;
  readonly weights: { readonly shape: number[] }[];
  readonly trainableWeights: { readonly shape: number[] }[];
  /** Whether `node` is a call inside this model's graph (not a call of a shared layer elsewhere). */
  ownsNode(node: SummaryNode): boolean;
}
