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

/** A trace: ops in execution order, optionally naming the loss tensor and the variables. */
export interface Trace {
  ops: TracedOp[];
  /** Id of the tensor the gradient starts from (default: the last op's first output). */
  loss?: number | string;
  /** Ids of the tensors the gradient flows to (default: inputs marked `variable`, else all leaf inputs). */
  variables?: (number | string)[];
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

function normalise(trace: Trace | TracedOp[]): Trace {
  const t = Array.isArray(trace) ? { ops: trace } : trace;
  if (!t || !Array.isArray(t.ops)) throw new Error("gradientGraph: expected a list of traced ops or { ops, loss?, variables? }");
  for (const op of t.ops) {
    if (!op || typeof op.name !== "string" || !Array.isArray(op.inputs) || !Array.isArray(op.outputs)) {
      throw new Error(`gradientGraph: each op needs { id, name, inputs: [{id, shape}], outputs: [{id, shape}] }, got ${JSON.stringify(op)?.slice(0, 120)}`);
    }
  }
  return t;
}

/**
 * The diagram of a trace as SVG. Ops on the gradient path (reachable from a variable and reaching
 * the loss) and their edges are drawn in red; everything else in grey.
 * @example gradientGraphSvg({ ops: [{ id: 1, name: "MatMul", inputs: [{ id: "w", shape: [2, 2], variable: true }], outputs: [{ id: 3, shape: [2, 2] }] }] })
 */
export function gradientGraphSvg(trace: Trace | TracedOp[]): { svg: string; width: number; height: number } {
  const t = normalise(trace);
  const producer = new Map<string, TracedOp>();
  const tensors = new Map<string, TracedTensor>();
  for (const op of t.ops) {
    for (const o of op.outputs) {
      producer.set(String(o.id), op);
      tensors.set(String(o.id), { ...tensors.get(String(o.id)), ...o });
    }
    for (const i of op.inputs) tensors.set(String(i.id), { ...i, ...tensors.get(String(i.id)) });
  }
  const leaves = [...new Set(t.ops.flatMap((op) => op.inputs.map((i) => String(i.id)).filter((id) => !producer.has(id))))];
  const lastOp = t.ops[t.ops.length - 1];
  const lossId = t.loss !== undefined ? String(t.loss) : lastOp?.outputs[0] ? String(lastOp.outputs[0].id) : undefined;
  if (lossId !== undefined && !producer.has(lossId) && !leaves.includes(lossId)) throw new Error(`gradientGraph: loss tensor ${lossId} is not in the trace`);
  const flagged = leaves.filter((id) => tensors.get(id)?.variable);
  const variables = new Set((t.variables ?? (flagged.length ? flagged : leaves)).map(String));

  // Tensors that depend on a variable (forward), and tensors the loss depends on (backward).
  const fromVars = new Set<string>(variables);
  for (const op of t.ops) if (op.inputs.some((i) => fromVars.has(String(i.id)))) for (const o of op.outputs) fromVars.add(String(o.id));
  const toLoss = new Set<string>(lossId !== undefined ? [lossId] : []);
  for (let k = t.ops.length - 1; k >= 0; k--) {
    const op = t.ops[k]!;
    if (op.outputs.some((o) => toLoss.has(String(o.id)))) for (const i of op.inputs) toLoss.add(String(i.id));
  }
  const onPath = (id: string) => fromVars.has(id) && toLoss.has(id);

  const nodes: DiagramNode[] = [];
  const edges: DiagramEdge[] = [];
  const leafNode = (id: string) => `t${id}`;
  const opNode = (op: TracedOp) => `op${String(op.id)}`;
  for (const id of leaves) {
    const tt = tensors.get(id)!;
    const grad = annotate(tt.grad);
    const value = annotate(tt.value);
    const isVar = variables.has(id);
    nodes.push({
      id: leafNode(id),
      lines: [tt.name ?? (isVar ? `variable ${id}` : `tensor ${id}`), shapeText(tt.shape), ...(value ? [`value ${value}`] : []), ...(grad ? [`grad ${grad}`] : [])],
      shape: "pill",
      fill: isVar ? "#fde2e2" : "#f2f2f2",
      stroke: isVar ? "#c0504d" : "#999999",
    });
  }
  for (const op of t.ops) {
    const hot = op.outputs.some((o) => onPath(String(o.id)));
    const out = op.outputs.map((o) => shapeText(o.shape)).join(" ");
    const value = op.outputs.length === 1 ? annotate(op.outputs[0]!.value) : undefined;
    const grad = op.outputs.length === 1 ? annotate(op.outputs[0]!.grad) : undefined;
    nodes.push({
      id: opNode(op),
      lines: [op.name, `→ ${out}`, ...(value ? [`value ${value}`] : []), ...(grad ? [`grad ${grad}`] : [])],
      fill: hot ? "#fff1ec" : "#f7f7f7",
      stroke: hot ? "#d62728" : "#aaaaaa",
    });
    for (const i of op.inputs) {
      const id = String(i.id);
      const src = producer.get(id);
      const hotEdge = onPath(id) && hot;
      edges.push({ source: src ? opNode(src) : leafNode(id), target: opNode(op), label: shapeText(i.shape), color: hotEdge ? "#d62728" : "#aaaaaa", width: hotEdge ? 2 : 1.2 });
    }
  }
  const count = [...variables].filter((v) => toLoss.has(v)).length;
  const title = lossId !== undefined ? `gradient of ${tensors.get(lossId)?.name ?? `tensor ${lossId}`} → ${count} variable${count === 1 ? "" : "s"}` : "traced ops";
  return diagramSvg(nodes, edges, { title });
}

/** The bundle for a gradient graph: SVG, the same as an `<img>` in HTML, and a text listing. */
export function gradientGraphBundle(trace: Trace | TracedOp[]): MimeBundle {
  const t = normalise(trace);
  const d = gradientGraphSvg(t);
  const text = t.ops.map((op) => `${op.name}(${op.inputs.map((i) => i.name ?? i.id).join(", ")}) → ${op.outputs.map((o) => `${o.id} ${shapeText(o.shape)}`).join(", ")}`).join("\n");
  return { "text/plain": text || "(no ops traced)", "image/svg+xml": d.svg, "text/html": svgImgTag(d.svg, d.width, d.height, "gradient graph") };
}

/**
 * A displayable gradient graph.
 * @example display(gradientGraph(tf.trace(() => loss(w))))
 */
export function gradientGraph(trace: Trace | TracedOp[]): { [key: symbol]: () => MimeBundle } {
  const bundle = gradientGraphBundle(trace);
  return { [Symbol.for("Jupyter.display")]: () => bundle };
}
