/** Test helpers: a small XML/HTML well-formedness checker, a PNG decoder and a recording sink. */
import { inflateSync } from "node:zlib";
import type { DisplaySink, MimeBundle } from "../../src/display/index.js";

const VOID_HTML = new Set(["img", "br", "hr", "input", "meta", "link", "col", "area", "base", "source", "wbr"]);

/**
 * Checks that `text` is well-formed markup: balanced tags, quoted attributes, valid entities.
 * With `html`, void elements need no closing tag and script contents are skipped.
 * Returns the element names seen, in order.
 */
export function checkMarkup(text: string, opts: { html?: boolean } = {}): string[] {
  const stack: string[] = [];
  const seen: string[] = [];
  let i = 0;
  const fail = (msg: string): never => {
    throw new Error(`${msg} at ${i}: …${text.slice(Math.max(0, i - 60), i + 60)}…`);
  };
  const checkText = (s: string) => {
    for (const m of s.matchAll(/&/g)) {
      const rest = s.slice(m.index!);
      if (!/^&(#\d+|#x[0-9a-f]+|[a-z]+);/i.test(rest)) fail("bad entity");
    }
    if (s.includes("<")) fail("stray <");
  };
  while (i < text.length) {
    const lt = text.indexOf("<", i);
    if (lt < 0) {
      checkText(text.slice(i));
      break;
    }
    checkText(text.slice(i, lt));
    i = lt;
    if (text.startsWith("<!--", i)) {
      const end = text.indexOf("-->", i);
      if (end < 0) fail("unclosed comment");
      i = end + 3;
      continue;
    }
    if (text.startsWith("<?", i)) {
      i = text.indexOf("?>", i) + 2;
      continue;
    }
    const close = /^<\/([a-zA-Z][\w:.-]*)\s*>/.exec(text.slice(i, i + 200));
    if (close) {
      const name = close[1]!;
      if (stack.pop() !== name) fail(`unexpected </${name}>`);
      i += close[0].length;
      continue;
    }
    const open = /^<([a-zA-Z][\w:.-]*)((?:\s+[a-zA-Z_:][\w:.-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/.exec(
      text.slice(i, i + 4_000_000),
    );
    if (!open) fail("malformed tag");
    const [whole, name, attrs, selfClose] = open!;
    for (const a of attrs!.matchAll(/=\s*(?:"([^"]*)"|'([^']*)')/g)) checkText(a[1] ?? a[2] ?? "");
    const names = [...attrs!.matchAll(/\s([a-zA-Z_:][\w:.-]*)\s*=/g)].map((m) => m[1]);
    if (new Set(names).size !== names.length) fail(`duplicate attribute in <${name}>`);
    seen.push(name!);
    i += whole.length;
    if (selfClose || (opts.html && VOID_HTML.has(name!.toLowerCase()))) continue;
    if (opts.html && name!.toLowerCase() === "script") {
      const end = text.indexOf("</script>", i);
      if (end < 0) fail("unclosed script");
      i = end + "</script>".length;
      continue;
    }
    stack.push(name!);
  }
  if (stack.length) throw new Error(`unclosed elements: ${stack.join(" > ")}`);
  return seen;
}

/** Checks an SVG document: well-formed, one root <svg> with the SVG namespace and a size. */
export function checkSvg(svg: string): string[] {
  const names = checkMarkup(svg);
  if (names[0] !== "svg") throw new Error("root element is not <svg>");
  if (!svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')) throw new Error("missing SVG namespace");
  if (!/^<svg[^>]*\swidth="\d+(\.\d+)?"[^>]*\sheight="\d+(\.\d+)?"/.test(svg)) throw new Error("missing width/height");
  if (svg.includes("xlink:href") && !svg.includes('xmlns:xlink="http://www.w3.org/1999/xlink"'))
    throw new Error("xlink used without namespace");
  return names;
}

/** Decodes an 8-bit non-interlaced PNG (filter type 0 only, as encodePng writes), verifying CRCs. */
export function decodePng(png: Uint8Array): { width: number; height: number; channels: number; pixels: Uint8Array } {
  const b = Buffer.from(png);
  if (b.readUInt32BE(0) !== 0x89504e47) throw new Error("not a PNG");
  let off = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes: Buffer) => {
    let c = 0xffffffff;
    for (const x of bytes) c = crcTable[(c ^ x) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  for (;;) {
    const len = b.readUInt32BE(off);
    const type = b.toString("ascii", off + 4, off + 8);
    const data = b.subarray(off + 8, off + 8 + len);
    if (crc(b.subarray(off + 4, off + 8 + len)) !== b.readUInt32BE(off + 8 + len))
      throw new Error(`bad CRC in ${type}`);
    if (type === "IHDR") {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      channels = { 0: 1, 2: 3, 6: 4 }[data[9]!] ?? 0;
    } else if (type === "IDAT") idat.push(data);
    else if (type === "IEND") break;
    off += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const pixels = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    if (raw[y * (stride + 1)] !== 0) throw new Error("unsupported filter");
    pixels.set(raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1)), y * stride);
  }
  return { width, height, channels, pixels };
}

export type SinkCall =
  | { kind: "display"; data: MimeBundle; metadata: Record<string, unknown>; id?: string }
  | { kind: "update"; data: MimeBundle; metadata: Record<string, unknown>; id: string }
  | { kind: "clear"; wait: boolean };

/** A sink that records what it is sent (and checks it is JSON-serialisable, as the kernel needs). */
export function recordingSink(): DisplaySink & { calls: SinkCall[] } {
  const calls: SinkCall[] = [];
  const check = (data: MimeBundle) => {
    JSON.stringify(data);
    if (typeof data["text/plain"] !== "string") throw new Error("bundle without text/plain");
  };
  return {
    calls,
    display(data, metadata, id) {
      check(data);
      calls.push({ kind: "display", data, metadata, id });
    },
    update(id, data, metadata) {
      check(data);
      calls.push({ kind: "update", data, metadata, id });
    },
    clear(wait) {
      calls.push({ kind: "clear", wait });
    },
  };
}

/** A TF.js-shaped fake tensor. */
export function fakeTensor(shape: number[], data: ArrayLike<number> | string[], dtype = "float32") {
  return { shape, dtype, dataSync: () => data };
}

/** Extracts the SVG document from an `<img src="data:image/svg+xml;base64,…">` in HTML. */
export function svgFromImg(html: string): string {
  const m = /<img src="data:image\/svg\+xml;base64,([A-Za-z0-9+/=]+)"/.exec(html);
  if (!m) throw new Error("no SVG <img> in the HTML");
  return Buffer.from(m[1]!, "base64").toString("utf8");
}
