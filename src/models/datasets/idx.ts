/**
 * Reader for the IDX format of the MNIST files: a 4-byte magic (0, 0, element type, rank),
 * `rank` big-endian uint32 dimension sizes, then the elements, big-endian, row-major.
 */
import { openSync, readSync, closeSync, fstatSync } from "node:fs";

export interface IdxArray {
  shape: number[];
  data: Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;
}

const ELEMENT_TYPES: Record<
  number,
  { bytes: number; make: (n: number) => IdxArray["data"]; read: (v: DataView, o: number) => number }
> = {
  0x08: { bytes: 1, make: (n) => new Uint8Array(n), read: (v, o) => v.getUint8(o) },
  0x09: { bytes: 1, make: (n) => new Int8Array(n), read: (v, o) => v.getInt8(o) },
  0x0b: { bytes: 2, make: (n) => new Int16Array(n), read: (v, o) => v.getInt16(o) },
  0x0c: { bytes: 4, make: (n) => new Int32Array(n), read: (v, o) => v.getInt32(o) },
  0x0d: { bytes: 4, make: (n) => new Float32Array(n), read: (v, o) => v.getFloat32(o) },
  0x0e: { bytes: 8, make: (n) => new Float64Array(n), read: (v, o) => v.getFloat64(o) },
};

/** Parses the header of an IDX buffer: element type code, shape, and where the data starts. */
export function parseIdxHeader(bytes: Uint8Array): { type: number; shape: number[]; offset: number } {
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0) throw new Error("not an IDX file: bad magic number");
  const type = bytes[2];
  const rank = bytes[3];
  if (!(type in ELEMENT_TYPES)) throw new Error(`IDX: unknown element type 0x${type.toString(16)}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 4 + 4 * rank) throw new Error("IDX: truncated header");
  const shape: number[] = [];
  for (let i = 0; i < rank; i++) shape.push(view.getUint32(4 + 4 * i));
  return { type, shape, offset: 4 + 4 * rank };
}

/**
 * Decodes a whole IDX buffer, or only its first `limit` items along axis 0.
 *
 * ```ts
 * const { shape, data } = parseIdx(fs.readFileSync("t10k-labels-idx1-ubyte")); // shape [10000]
 * ```
 */
export function parseIdx(bytes: Uint8Array, limit?: number): IdxArray {
  const { type, shape, offset } = parseIdxHeader(bytes);
  const spec = ELEMENT_TYPES[type];
  const outShape = shape.slice();
  if (limit !== undefined && outShape.length > 0) outShape[0] = Math.min(outShape[0], limit);
  const n = outShape.reduce((a, b) => a * b, 1);
  if (bytes.length < offset + n * spec.bytes) throw new Error(`IDX: expected ${n} elements, file is truncated`);
  if (type === 0x08) return { shape: outShape, data: bytes.slice(offset, offset + n) };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const data = spec.make(n);
  for (let i = 0; i < n; i++) data[i] = spec.read(view, offset + i * spec.bytes);
  return { shape: outShape, data };
}

/** Reads the first `limit` items (all when omitted) of an IDX file without loading the rest. */
export function readIdxFile(path: string, limit?: number): IdxArray {
  const fd = openSync(path, "r");
  try {
    const head = new Uint8Array(4 + 4 * 8);
    readSync(fd, head, 0, head.length, 0);
    const { type, shape, offset } = parseIdxHeader(head.subarray(0, 4 + 4 * head[3]));
    const itemSize = shape.slice(1).reduce((a, b) => a * b, 1) * ELEMENT_TYPES[type].bytes;
    const items = limit === undefined ? shape[0] : Math.min(shape[0], limit);
    const total = Math.min(offset + items * itemSize, fstatSync(fd).size);
    const bytes = new Uint8Array(total);
    readSync(fd, bytes, 0, total, 0);
    return parseIdx(bytes, items);
  } finally {
    closeSync(fd);
  }
}
