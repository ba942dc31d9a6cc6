/** `tf.datasets`: MNIST, teaching data sets, and batching helpers. */
export { mnist } from "./mnist.js";
export { linear, twoMoons, spirals, blobs, sequences } from "./synthetic.js";
export { batches, batchIndices, takeRows } from "./batching.js";
export { parseIdx, readIdxFile } from "./idx.js";
