/**
 * TensorFlow's `Event` and `Summary` messages, as event files hold them (field numbers from
 * tensorflow/core/util/event.proto and framework/summary.proto): the file-version event, scalars
 * as `simple_value`, and histograms as a `[k, 3]` float tensor (left edge, right edge, count) with
 * the `histograms` plugin's metadata, which TensorBoard's Histograms and Distributions read.
 */
import { ProtoWriter } from "./protobuf.js";

/** The first event of every file. */
export const FILE_VERSION = "brain.Event:2";

const EVENT = { wallTime: 1, step: 2, fileVersion: 3, summary: 5 } as const;
const SUMMARY_VALUE = { tag: 1, simpleValue: 2, metadata: 9, tensor: 8 } as const;
const METADATA = { pluginData: 1, summaryDescription: 3 } as const;
const PLUGIN_DATA = { pluginName: 1, content: 2 } as const;
const TENSOR = { dtype: 1, shape: 2, content: 4 } as const;
const DT_FLOAT = 1;

function event(wallTime: number, step?: number): ProtoWriter {
  const e = new ProtoWriter().double(EVENT.wallTime, wallTime);
  if (step !== undefined) e.int(EVENT.step, step);
  return e;
}

/** The event that opens a file and says its format. */
export function fileVersionEvent(wallTime: number): Uint8Array {
  return event(wallTime).string(EVENT.fileVersion, FILE_VERSION).finish();
}

/** A scalar at `step`, as TensorFlow's WriteScalarSummary writes it. */
export function scalarEvent(wallTime: number, step: number, tag: string, value: number): Uint8Array {
  const v = new ProtoWriter().string(SUMMARY_VALUE.tag, tag).float(SUMMARY_VALUE.simpleValue, value);
  return event(wallTime, step).message(EVENT.summary, new ProtoWriter().message(1, v)).finish();
}

/** A histogram at `step`: `buckets` holds k rows of (left edge, right edge, count). */
export function histogramEvent(
  wallTime: number,
  step: number,
  tag: string,
  buckets: Float32Array,
  description = "",
): Uint8Array {
  const rows = buckets.length / 3;
  // The histograms plugin's content (HistogramPluginData, version 0) encodes to no bytes.
  const plugin = new ProtoWriter()
    .string(PLUGIN_DATA.pluginName, "histograms")
    .bytes(PLUGIN_DATA.content, new Uint8Array(0));
  const metadata = new ProtoWriter().message(METADATA.pluginData, plugin);
  if (description) metadata.string(METADATA.summaryDescription, description);
  const shape = new ProtoWriter().message(2, new ProtoWriter().int(1, rows)).message(2, new ProtoWriter().int(1, 3));
  const tensor = new ProtoWriter()
    .int(TENSOR.dtype, DT_FLOAT)
    .message(TENSOR.shape, shape)
    .bytes(TENSOR.content, new Uint8Array(buckets.buffer, buckets.byteOffset, buckets.byteLength));
  const v = new ProtoWriter()
    .string(SUMMARY_VALUE.tag, tag)
    .message(SUMMARY_VALUE.metadata, metadata)
    .message(SUMMARY_VALUE.tensor, tensor);
  return event(wallTime, step).message(EVENT.summary, new ProtoWriter().message(1, v)).finish();
}

/**
 * Buckets of `values` as tfjs-node makes them: `count` equal-width buckets from min to max (the
 * last one closed), one bucket of width 1 around the value when all are equal, none when empty.
 */
export function histogramBuckets(values: ArrayLike<number>, count = 30): Float32Array {
  if (!Number.isInteger(count) || count <= 0) {
    throw new Error(`Expected bucket count to be a strictly positive integer, but it was ${count}`);
  }
  const n = values.length;
  if (n === 0) return new Float32Array(0);
  const data = Float32Array.from(values);
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const v of data) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (min === max) return Float32Array.of(min - 0.5, min + 0.5, n);
  const width = (max - min) / count;
  const counts = new Float64Array(count);
  for (const v of data) counts[Math.min(Math.floor((v - min) / width), count - 1)]!++;
  const out = new Float32Array(count * 3);
  for (let i = 0; i < count; i++) {
    out[3 * i] = min + i * width;
    out[3 * i + 1] = i === count - 1 ? max : min + (i + 1) * width;
    out[3 * i + 2] = counts[i]!;
  }
  return out;
}
