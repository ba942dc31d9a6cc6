/**
 * Gradient graphs: the ops recorded by a trace (e.g. `tf.trace(fn)`) drawn as a diagram, with the
 * path a gradient takes from the loss back to the variables highlighted.
 */
import { diagramSvg, type DiagramEdge, type DiagramNode } from "./diagram-svg.js";
import { formatNumber, svgImgTag } from "./markup.js";
import type { MimeBundle } from "./sink.js";
import { isTensorLike, numericValues } from "./tensor-like.js";

/** A tensor as seen by a trace. `value`/`grad` are optional annotations (number or tensor). */
export interface TracedTensor {
  id: number | string;
  shape: number[];
  /** Display name (e.g. a variable's name). */
  name?: string;
  /** Marks trainable variables (the ends of the gradient path). */
  variable?: boolean;
  value?: unknown;
  grad?: unknown;
}

/** One recorded op: its kernel name and the tensors it read and wrote. */
export interface TracedOp {
  id: number | string;
  name: string;
  inputs: TracedTensor[];
  outputs: TracedTensor[];
}

function annotate(v: unknown): string | undefined {
  if (typeof v === "number") return formatNumber(v);
  if (isTensorLike(v)) {
    const vals = numericValues(v);
    if (vals.length === 1) return formatNumber(vals[0]!);
    return `‖·‖ ${formatNumber(Math.sqrt(vals.reduce((a, x) => a + x * x, 0)))}`;
  }
  return undefined;
}

function shapeText(shape: number[]): string {
  return `[${shape.join(",")}]`;
}

/**
 * The runtime's form of a traced op (`tf.trace(fn).ops`): kernel name, input tensors, one output,
 * and `onGradientPath` when `tf.trace` was given `sources`.
 */
export interface TraceEntryLike {
  op: string;
  inputs: TracedTensor[];
  output: TracedTensor;
  onGradientPath?: boolean;
}

/** A tensor, or a tensor's id. */
export type TensorRef = number | string | { id: number | string; name?: string };

/** A trace: ops in execution order, optionally naming the loss tensor and the variables. */
export interface Trace {
  ops: (TracedOp | TraceEntryLike)[];
  /** The tensor the gradient starts from (default: `result` if it is a tensor, else the last op's output). */
  loss?: TensorRef;
  /** What `tf.trace` returned from `fn` (its loss). */
  result?: unknown;
  /** The tensors the gradient flows to (default: inputs marked `variable`, else all leaf inputs). */
  variables?: TensorRef[];
}

export interface GradientGraphOptions {
  loss?: TensorRef;
  variables?: TensorRef[];
}

interface Op extends TracedOp {
  hot?: boolean;
}

interface Normalised {
  ops: Op[];
  loss?: string;
  variables?: string[];
  names: Map<string, string>;
}

function refId(r: TensorRef): string {
  return String(typeof r === "object" && r !== null ? r.id : r);
}

function isEntry(o: unknown): o is TraceEntryLike {
  return (
    o !== null &&
    typeof o === "object" &&
    typeof (o as TraceEntryLike).op === "string" &&
    typeof (o as TraceEntryLike).output === "object"
  );
}

/** True for `tf.trace(fn)` results: `{ ops: [{ op, inputs, output }, ...] }` with at least one op. */
export function isTraceLike(value: unknown): value is Trace {
  const ops = (value as { ops?: unknown } | null)?.ops;
  return Array.isArray(ops) && ops.length > 0 && ops.every(isEntry);
}

function normalise(trace: Trace | (TracedOp | TraceEntryLike)[], opts: GradientGraphOptions = {}): Normalised {
  const t: Trace = Array.isArray(trace) ? { ops: trace } : trace;
  if (!t || !Array.isArray(t.ops))
    throw new Error("gradientGraph: expected a list of traced ops or { ops, loss?, variables? } (e.g. tf.trace(fn))");
  const ops: Op[] = t.ops.map((o, k) => {
    if (isEntry(o)) {
      if (!Array.isArray(o.inputs)) throw new Error(`gradientGraph: op ${k} (${o.op}) has no inputs list`);
      return { id: k, name: o.op, inputs: o.inputs, outputs: [o.output], hot: o.onGradientPath };
    }
    if (!o || typeof o.name !== "string" || !Array.isArray(o.inputs) || !Array.isArray(o.outputs)) {
      throw new Error(
        `gradientGraph: each op needs { id, name, inputs: [{id, shape}], outputs: [{id, shape}] }, got ${JSON.stringify(o)?.slice(0, 120)}`,
      );
    }
    return o;
  });
  const names = new Map<string, string>();
  const variables = opts.variables ?? t.variables;
  for (const v of variables ?? []) if (typeof v === "object" && v.name) names.set(refId(v), v.name);
  const result = t.result as { id?: unknown } | undefined;
  const loss =
    opts.loss ??
    t.loss ??
    (result && (typeof result.id === "number" || typeof result.id === "string") ? (result.id as number) : undefined);
  return { ops, loss: loss === undefined ? undefined : refId(loss), variables: variables?.map(refId), names };
}

/**
 * The diagram of a trace as SVG. Ops on the gradient path (reachable from a variable and reaching
 * the loss) and their edges are drawn in red; everything else in grey.
 * @example gradientGraphSvg({ ops: [{ id: 1, name: "MatMul", inputs: [{ id: "w", shape: [2, 2], variable: true }], outputs: [{ id: 3, shape: [2, 2] }] }] })
 */
export function gradientGraphSvg(
  trace: Trace | (TracedOp | TraceEntryLike)[],
  opts: GradientGraphOptions = {},
): { svg: string; width: number; height: number } {
  const normalised = normalise(trace, opts);
  const lastOutput = normalised.ops[normalised.ops.length - 1]?.outputs[0];
  const { ops: kept, folded } = foldReshapes(
    normalised.ops,
    normalised.loss ?? (lastOutput ? String(lastOutput.id) : undefined),
  );
  const t = { ...normalised, ops: kept };
  const producer = new Map<string, TracedOp>();
  const tensors = new Map<string, TracedTensor>();
  for (const op of t.ops) {
    for (const o of op.outputs) {
      producer.set(String(o.id), op);
      tensors.set(String(o.id), { ...tensors.get(String(o.id)), ...o });
    }
    for (const i of op.inputs) tensors.set(String(i.id), { ...i, ...tensors.get(String(i.id)) });
  }
  const leaves = [
    ...new Set(t.ops.flatMap((op) => op.inputs.map((i) => String(i.id)).filter((id) => !producer.has(id)))),
  ];
  const lastOp = t.ops[t.ops.length - 1];
  const lossId = t.loss ?? (lastOp?.outputs[0] ? String(lastOp.outputs[0].id) : undefined);
  if (lossId !== undefined && !producer.has(lossId) && !leaves.includes(lossId))
    throw new Error(`gradientGraph: loss tensor ${lossId} is not in the trace`);
  const flagged = leaves.filter((id) => tensors.get(id)?.variable);
  const variables = new Set(t.variables ?? (flagged.length ? flagged : leaves));
  for (const [id, name] of t.names)
    if (tensors.has(id)) tensors.set(id, { ...tensors.get(id)!, name: tensors.get(id)!.name ?? name });
  // The runtime's own marks win when no variables were named.
  const marked = t.variables === undefined && t.ops.some((op) => op.hot !== undefined);

  // Tensors that depend on a variable (forward), and tensors the loss depends on (backward).
  const fromVars = new Set<string>(variables);
  for (const op of t.ops)
    if (op.inputs.some((i) => fromVars.has(String(i.id)))) for (const o of op.outputs) fromVars.add(String(o.id));
  const toLoss = new Set<string>(lossId !== undefined ? [lossId] : []);
  for (let k = t.ops.length - 1; k >= 0; k--) {
    const op = t.ops[k]!;
    if (op.outputs.some((o) => toLoss.has(String(o.id)))) for (const i of op.inputs) toLoss.add(String(i.id));
  }
  const hotOutputs = new Set(t.ops.filter((op) => op.hot).flatMap((op) => op.outputs.map((o) => String(o.id))));
  const onPath = (id: string) => (marked ? hotOutputs.has(id) : fromVars.has(id) && toLoss.has(id));

  const nodes: DiagramNode[] = [];
  const edges: DiagramEdge[] = [];
  const leafNode = (id: string) => `t${id}`;
  const opNode = (op: TracedOp) => `op${String(op.id)}`;
  for (const id of leaves) {
    const tt = tensors.get(id)!;
    const grad = annotate(tt.grad);
    const value = annotate(tt.value);
    const isVar = marked ? !!tt.variable : variables.has(id);
    // Variables (what the gradient is for) in red; the other leaves are the inputs (data), in blue.
    nodes.push({
      id: leafNode(id),
      lines: [
        tt.name ?? (isVar ? `variable ${id}` : `input ${id}`),
        `${isVar ? "variable" : "input"} ${shapeText(tt.shape)}`,
        ...(value ? [`value ${value}`] : []),
        ...(grad ? [`grad ${grad}`] : []),
      ],
      shape: "pill",
      fill: isVar ? "#fde2e2" : "#e1ecf7",
      stroke: isVar ? "#c0504d" : "#1f77b4",
    });
  }
  for (const op of t.ops) {
    const hot = op.outputs.some((o) => onPath(String(o.id)));
    const out = op.outputs.map((o) => shapeText(o.shape)).join(" ");
    const value = op.outputs.length === 1 ? annotate(op.outputs[0]!.value) : undefined;
    const grad = op.outputs.length === 1 ? annotate(op.outputs[0]!.grad) : undefined;
    // The op that makes the output (the loss, or what the traced function returned): green, bold border.
    const isOutput = lossId !== undefined && op.outputs.some((o) => String(o.id) === lossId);
    const outputName = isOutput ? (tensors.get(lossId)?.name ?? "output") : undefined;
    nodes.push({
      id: opNode(op),
      lines: [
        op.name,
        `→ ${out}${outputName ? ` = ${outputName}` : ""}`,
        ...(value ? [`value ${value}`] : []),
        ...(grad ? [`grad ${grad}`] : []),
      ],
      fill: isOutput ? "#e3f4e3" : hot ? "#fff1ec" : "#f7f7f7",
      stroke: isOutput ? "#2ca02c" : hot ? "#d62728" : "#aaaaaa",
    });
    for (const i of op.inputs) {
      const id = String(i.id);
      const src = producer.get(id);
      const hotEdge =
        hot && (onPath(id) || (!producer.has(id) && (marked ? !!tensors.get(id)?.variable : variables.has(id))));
      const label = (i as FoldedInput).via ?? shapeText(i.shape);
      edges.push({
        source: src ? opNode(src) : leafNode(id),
        target: opNode(op),
        label,
        color: hotEdge ? "#d62728" : "#aaaaaa",
        width: hotEdge ? 2 : 1.2,
      });
    }
  }
  const count = [...variables].filter((v) => toLoss.has(v)).length;
  const lossName = lossId !== undefined ? (tensors.get(lossId)?.name ?? `tensor ${lossId}`) : undefined;
  const hotCount = t.ops.filter((op) => op.hot).length;
  const title = marked
    ? `gradient path: ${hotCount} of ${t.ops.length} ops`
    : lossName !== undefined
      ? `gradient of ${lossName} → ${count} variable${count === 1 ? "" : "s"}`
      : "traced ops";
  const note = folded > 0 ? ` (${folded} reshape${folded === 1 ? "" : "s"} drawn as edges)` : "";
  return diagramSvg(nodes, edges, { title: title + note });
}

/** An op input that stands for a chain of folded reshapes: `via` is the edge label (`[4,3] → [1,4,3]`). */
type FoldedInput = TracedTensor & { via?: string };

/**
 * Folds pure reshapes into edges: a `Reshape` whose output feeds exactly one later op (and is not
 * the loss) disappears, and that op reads the reshape's input instead, over an edge labelled with
 * the shapes it passed through. Chains of reshapes fold into one edge.
 */
function foldReshapes(ops: Op[], lossId: string | undefined): { ops: Op[]; folded: number } {
  const uses = new Map<string, number>();
  for (const op of ops) for (const i of op.inputs) uses.set(String(i.id), (uses.get(String(i.id)) ?? 0) + 1);
  /** Folded output id → the tensor it reshapes and the shapes on the way. */
  const alias = new Map<string, { source: TracedTensor; shapes: number[][] }>();
  const kept: Op[] = [];
  for (const op of ops) {
    const inputs: FoldedInput[] = op.inputs.map((i) => {
      const a = alias.get(String(i.id));
      if (!a) return i;
      const shapes = [...a.shapes, i.shape].filter((sh, k, all) => k === 0 || shapeText(sh) !== shapeText(all[k - 1]!));
      return { ...a.source, via: shapes.map(shapeText).join(" → ") };
    });
    const out = op.outputs[0];
    const pure = op.name === "Reshape" && op.inputs.length === 1 && op.outputs.length === 1 && out !== undefined;
    if (pure && String(out.id) !== lossId && uses.get(String(out.id)) === 1) {
      const input = op.inputs[0]!;
      const prior = alias.get(String(input.id));
      alias.set(
        String(out.id),
        prior
          ? { source: prior.source, shapes: [...prior.shapes, input.shape] }
          : { source: input, shapes: [input.shape] },
      );
      continue;
    }
    kept.push({ ...op, inputs });
  }
  return { ops: kept, folded: ops.length - kept.length };
}

/** The bundle for a gradient graph: SVG, the same as an `<img>` in HTML, and a text listing. */
export function gradientGraphBundle(
  trace: Trace | (TracedOp | TraceEntryLike)[],
  opts: GradientGraphOptions = {},
): MimeBundle {
  const t = normalise(trace, opts);
  const d = gradientGraphSvg(trace, opts);
  const text = t.ops
    .map(
      (op) =>
        `${op.name}(${op.inputs.map((i) => i.name ?? i.id).join(", ")}) → ${op.outputs.map((o) => `${o.id} ${shapeText(o.shape)}`).join(", ")}`,
    )
    .join("\n");
  return {
    "text/plain": text || "(no ops traced)",
    "image/svg+xml": d.svg,
    "text/html": svgImgTag(d.svg, d.width, d.height, "gradient graph"),
  };
}

/**
 * A displayable gradient graph.
 * @example display(gradientGraph(tf.trace(() => loss(w), { sources: [w] }), { variables: [w] }))
 */
export function gradientGraph(
  trace: Trace | (TracedOp | TraceEntryLike)[],
  opts: GradientGraphOptions = {},
): { [key: symbol]: () => MimeBundle } {
  const bundle = gradientGraphBundle(trace, opts);
  return { [Symbol.for("Jupyter.display")]: () => bundle };
}
