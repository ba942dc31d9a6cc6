/** The public `tf` namespace: `import * as tf from "deepts"`, and the kernel's resident `tf`. */
export * from "./runtime/index.js";
export * from "./models/index.js";
import * as dataNamespace from "./data/index.js";

/**
 * `tf.data`: datasets that stream examples into training — `tf.data.array`, `zip`, `generator`,
 * `csv` — transformed with `map`, `filter`, `batch`, `shuffle` … and trained on with
 * `model.fitDataset`. Example: `const ds = tf.data.array([1, 2, 3]).map((x) => x * 2).batch(2);`
 */
export import data = dataNamespace;
import * as nodeNamespace from "./models/node/index.js";

/**
 * `tf.node` (as in `@tensorflow/tfjs-node`): image files to tensors and back —
 * `decodeImage`, `decodePng`, `decodeJpeg`, `decodeBmp`, `decodeGif`, `encodePng`, `encodeJpeg` — and
 * TensorBoard logs: `summaryFileWriter`, the `tensorBoard` fit callback.
 * Example: `const img = tf.node.decodeImage(fs.readFileSync("cat.jpg"), 3);`
 */
export import node = nodeNamespace;
