/** Box-and-arrow diagrams (layer graphs, op graphs): laid out with ELK, drawn as standalone SVG. */
import { layoutSync, type ElkEdge, type ElkNode } from "./elk-sync.js";
import { escapeXml, px, textWidth, truncate, uniqueId } from "./markup.js";

export interface DiagramNode {
  id: string;
  /** First line is the title (bold); the rest are details. */
  lines: string[];
  fill?: string;
  stroke?: string;
  shape?: "box" | "pill";
}

export interface DiagramEdge {
  source: string;
  target: string;
  label?: string;
  color?: string;
  width?: number;
}

export interface DiagramSvg {
  svg: string;
  width: number;
  height: number;
}

const TITLE = 13;
const DETAIL = 11;
const LINE = 15;
const PAD = 8;
const MAX_NODES = 400;

/**
 * Lays out and draws a diagram.
 * @example diagramSvg([{ id: "a", lines: ["a"] }, { id: "b", lines: ["b"] }], [{ source: "a", target: "b" }])
 */
export function diagramSvg(
  nodes: DiagramNode[],
  edges: DiagramEdge[],
  opts: { title?: string; direction?: "DOWN" | "RIGHT" } = {},
): DiagramSvg {
  if (nodes.length > MAX_NODES)
    throw new Error(`diagram: ${nodes.length} nodes is too many to draw (at most ${MAX_NODES})`);
  const ids = new Set(nodes.map((n) => n.id));
  for (const e of edges) {
    if (!ids.has(e.source) || !ids.has(e.target))
      throw new Error(`diagram: edge ${e.source} → ${e.target} names an unknown node`);
  }
  const lines = new Map(nodes.map((n) => [n.id, n.lines.map((l, i) => truncate(l, i === 0 ? 40 : 48))]));
  const graph: ElkNode = {
    id: "root",
    layoutOptions: {
      "elk.direction": opts.direction ?? "DOWN",
      "elk.layered.spacing.nodeNodeBetweenLayers": "36",
      "elk.spacing.nodeNode": "24",
      "elk.spacing.edgeNode": "16",
      "elk.padding": "[top=16,left=16,bottom=16,right=16]",
      "elk.edgeRouting": "ORTHOGONAL",
      "elk.layered.nodePlacement.strategy": "BRANDES_KOEPF",
      // Keep the given order (model layer order, trace order) where crossings allow.
      "elk.layered.considerModelOrder.strategy": "NODES_AND_EDGES",
    },
    children: nodes.map((n) => {
      const ls = lines.get(n.id)!;
      const w =
        Math.max(90, ...ls.map((l, i) => textWidth(l, i === 0 ? TITLE : DETAIL) * (i === 0 ? 1.08 : 1))) + 2 * PAD + 4;
      return { id: n.id, width: Math.ceil(w), height: ls.length * LINE + 2 * PAD - 2 };
    }),
    edges: edges.map(
      (e, i): ElkEdge => ({
        id: `e${i}`,
        sources: [e.source],
        targets: [e.target],
        labels: e.label ? [{ text: e.label, width: textWidth(e.label, 10) + 4, height: 12 }] : undefined,
      }),
    ),
  };
  const laid = layoutSync(graph);
  const width = Math.ceil(
    Math.max(laid.width ?? 200, opts.title ? textWidth(truncate(opts.title, 80), 15) * 1.1 + 24 : 0),
  );
  const titleH = opts.title ? 30 : 0;
  const height = Math.ceil((laid.height ?? 100) + titleH);
  const out: string[] = [`<rect width="${width}" height="${height}" fill="#ffffff"/>`];
  if (opts.title)
    out.push(
      `<text x="${px(width / 2)}" y="20" text-anchor="middle" font-size="15" font-weight="bold" fill="#222">${escapeXml(truncate(opts.title, 80))}</text>`,
    );
  out.push(`<g transform="translate(${px((width - (laid.width ?? width)) / 2)} ${titleH})">`);
  const uid = uniqueId("arrow");
  const colorIds = new Map<string, number>();
  for (const e of edges) if (!colorIds.has(e.color ?? "#777")) colorIds.set(e.color ?? "#777", colorIds.size);
  (laid.edges ?? []).forEach((e, i) => {
    const spec = edges[i]!;
    const color = spec.color ?? "#777";
    for (const s of e.sections ?? []) {
      const pts = [s.startPoint, ...(s.bendPoints ?? []), s.endPoint];
      out.push(
        `<polyline points="${pts.map((p) => `${px(p.x)},${px(p.y)}`).join(" ")}" fill="none" stroke="${color}" stroke-width="${spec.width ?? 1.4}" marker-end="url(#${uid}-${colorIds.get(color)})"/>`,
      );
    }
    for (const l of e.labels ?? []) {
      if (l.x === undefined || l.y === undefined) continue;
      out.push(`<text x="${px(l.x + 2)}" y="${px(l.y + 10)}" font-size="10" fill="#555">${escapeXml(l.text)}</text>`);
    }
  });
  const byId = new Map(nodes.map((n) => [n.id, n]));
  for (const c of laid.children ?? []) {
    const n = byId.get(c.id)!;
    const x = c.x ?? 0;
    const y = c.y ?? 0;
    const w = c.width ?? 0;
    const h = c.height ?? 0;
    const r = n.shape === "pill" ? Math.min(h / 2, 14) : 5;
    out.push(
      `<rect x="${px(x)}" y="${px(y)}" width="${px(w)}" height="${px(h)}" rx="${r}" fill="${n.fill ?? "#eef3fb"}" stroke="${n.stroke ?? "#4a6fa5"}" stroke-width="1.2"/>`,
    );
    lines.get(c.id)!.forEach((l, i) => {
      const ty = y + PAD + i * LINE + 11;
      const attrs =
        i === 0 ? `font-size="${TITLE}" font-weight="bold" fill="#1a1a1a"` : `font-size="${DETAIL}" fill="#444"`;
      out.push(`<text x="${px(x + w / 2)}" y="${px(ty)}" text-anchor="middle" ${attrs}>${escapeXml(l)}</text>`);
    });
  }
  out.push(`</g>`);
  const markers = [...colorIds]
    .map(
      ([c, k]) =>
        `<marker id="${uid}-${k}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" fill="${c}"/></marker>`,
    )
    .join("");
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif"><defs>${markers}</defs>${out.join("")}</svg>`;
  return { svg, width, height };
}
