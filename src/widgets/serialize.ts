/**
 * Widget state on the wire: JSON with binary values (`Uint8Array`, `ArrayBuffer`, `DataView`)
 * moved out into buffers, each named by its path in the state (the Jupyter widget protocol's
 * `buffer_paths`).
 */

export type BufferPath = (string | number)[];

function isBinary(v: unknown): v is Uint8Array | ArrayBuffer | DataView {
  return v instanceof Uint8Array || v instanceof ArrayBuffer || v instanceof DataView;
}

function toBytes(v: Uint8Array | ArrayBuffer | DataView): Uint8Array {
  if (v instanceof Uint8Array) return v;
  if (v instanceof ArrayBuffer) return new Uint8Array(v);
  return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
}

/**
 * Splits binary values out of `state` (not modified).
 * @example removeBuffers({ value: new Uint8Array([1]) }) // { state: {}, bufferPaths: [["value"]], buffers: [Uint8Array [1]] }
 */
export function removeBuffers(state: Record<string, unknown>): {
  state: Record<string, unknown>;
  bufferPaths: BufferPath[];
  buffers: Uint8Array[];
} {
  const bufferPaths: BufferPath[] = [];
  const buffers: Uint8Array[] = [];
  const walk = (v: unknown, path: BufferPath): unknown => {
    if (isBinary(v)) {
      bufferPaths.push(path);
      buffers.push(toBytes(v));
      return null;
    }
    if (Array.isArray(v)) return v.map((x, i) => walk(x, [...path, i]));
    if (v && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype) {
      // As ipywidgets does: a binary value leaves an object's keys (in an array it leaves null).
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) {
        const y = walk(x, [...path, k]);
        if (!isBinary(x)) out[k] = y;
      }
      return out;
    }
    return v;
  };
  return { state: walk(state, []) as Record<string, unknown>, bufferPaths, buffers };
}

/** Puts `buffers` back into `state` (in place) at `bufferPaths`. */
export function putBuffers(state: Record<string, unknown>, bufferPaths: unknown, buffers: Uint8Array[]): void {
  if (!Array.isArray(bufferPaths)) return;
  bufferPaths.forEach((path, i) => {
    if (!Array.isArray(path) || path.length === 0 || buffers[i] === undefined) return;
    let obj = state as Record<string | number, unknown>;
    for (const key of path.slice(0, -1)) {
      const next = obj[key as string];
      if (!next || typeof next !== "object") return;
      obj = next as Record<string | number, unknown>;
    }
    obj[path[path.length - 1] as string] = toBytes(buffers[i]);
  });
}

/** Deep equality of JSON-like values and byte arrays (what decides whether a change is sent). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (isBinary(a) && isBinary(b)) {
    const x = toBytes(a);
    const y = toBytes(b);
    return x.length === y.length && x.every((v, i) => v === y[i]);
  }
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => sameValue(v, b[i]));
  if (a && b && typeof a === "object" && typeof b === "object" && !Array.isArray(a) && !Array.isArray(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return (
      ka.length === kb.length &&
      ka.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
    );
  }
  return false;
}
