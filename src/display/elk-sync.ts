/**
 * Synchronous graph layout with ELK (elkjs). elkjs's public API is promise-based, but its bundled
 * engine ships a "fake worker" whose dispatcher runs a layout request to completion in the same
 * call; using it directly lets display of a model stay synchronous (a display hook cannot await).
 */
import { createRequire } from "node:module";

export interface ElkNode {
  id: string;
  width?: number;
  height?: number;
  x?: number;
  y?: number;
  children?: ElkNode[];
  edges?: ElkEdge[];
  layoutOptions?: Record<string, string>;
  labels?: { text: string; width?: number; height?: number; x?: number; y?: number }[];
}

export interface ElkEdge {
  id: string;
  sources: string[];
  targets: string[];
  sections?: {
    startPoint: { x: number; y: number };
    endPoint: { x: number; y: number };
    bendPoints?: { x: number; y: number }[];
  }[];
  labels?: { text: string; width?: number; height?: number; x?: number; y?: number }[];
}

interface FakeWorker {
  onmessage: (e: { data: { id: number; data?: unknown; error?: unknown } }) => void;
  dispatcher: { saveDispatch(e: { data: Record<string, unknown> }): void };
}

let worker: FakeWorker | undefined;
let reply: { data?: unknown; error?: unknown } | undefined;

function engine(): FakeWorker {
  if (!worker) {
    const require = createRequire(import.meta.url);
    const mod = require("elkjs/lib/elk-worker.min.js") as {
      Worker?: new () => FakeWorker;
      default?: new () => FakeWorker;
    };
    const Ctor = mod.Worker ?? mod.default;
    if (!Ctor)
      throw new Error("elkjs: elk-worker.min.js no longer exports its Worker; synchronous layout is unavailable");
    const w = new Ctor();
    if (!w.dispatcher || typeof w.dispatcher.saveDispatch !== "function")
      throw new Error("elkjs: unexpected worker shape; synchronous layout is unavailable");
    w.onmessage = (e) => {
      reply = e.data;
    };
    worker = w;
    call({ cmd: "register", algorithms: ["layered"] });
  }
  return worker;
}

function call(msg: Record<string, unknown>): unknown {
  reply = undefined;
  worker!.dispatcher.saveDispatch({ data: { id: 0, ...msg } });
  const r = reply as { data?: unknown; error?: unknown } | undefined;
  if (!r) throw new Error("elkjs: layout did not complete synchronously");
  if (r.error) throw new Error(`elkjs layout failed: ${String((r.error as { message?: string }).message ?? r.error)}`);
  return r.data;
}

/** Lays out `graph` in place (ELK "layered" by default) and returns it with positions filled in. */
export function layoutSync(graph: ElkNode): ElkNode {
  engine();
  return call({ cmd: "layout", graph, layoutOptions: { "elk.algorithm": "layered" }, options: {} }) as ElkNode;
}
