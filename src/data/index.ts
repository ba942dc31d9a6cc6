/**
 * `tf.data`: lazy, re-iterable pipelines of elements for training, with TF.js's API.
 *
 * ```ts
 * const ds = tf.data.zip({ xs: tf.data.array(xRows), ys: tf.data.array(labels) }).shuffle(100).batch(32);
 * await model.fitDataset(ds, { epochs: 5 });
 * ```
 */
export { Dataset, array, zip, datasetFromIteratorFn } from "./dataset.js";
export type { Batched, DatasetContainer, Zipped } from "./dataset.js";
export { LazyIterator } from "./lazy-iterator.js";
export { generator, func, webcam, microphone } from "./readers.js";
export { csv, CSVDataset } from "./csv.js";
export type { CSVConfig, ColumnConfig, CSVElement } from "./csv.js";
export { TextLineDataset, FileDataSource, URLDataSource, DataSource } from "./sources.js";
export type { FileChunkIteratorOptions } from "./sources.js";
