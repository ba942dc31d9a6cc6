/**
 * tfjs-node's SavedModel functions run TensorFlow's own graphs through its C library, which deepts
 * does not have: each fails with an error that says so and what to do instead.
 */

function needsTensorFlow(name: string): never {
  throw new Error(
    `tf.node.${name} runs TensorFlow SavedModels through TensorFlow's C library, which deepts does not have. ` +
      "Build the model with tf.layers (or convert a Keras model with tensorflowjs_converter --output_format tfjs_layers_model) " +
      "and load it with tf.loadLayersModel.",
  );
}

/** tfjs-node only: fails in deepts (no TensorFlow C library; use `tf.loadLayersModel`). */
export async function loadSavedModel(..._args: unknown[]): Promise<never> {
  return needsTensorFlow("loadSavedModel");
}

/** tfjs-node only: fails in deepts (no TensorFlow C library). */
export async function getMetaGraphsFromSavedModel(..._args: unknown[]): Promise<never> {
  return needsTensorFlow("getMetaGraphsFromSavedModel");
}

/** tfjs-node only: fails in deepts (no TensorFlow C library). */
export function getNumOfSavedModels(): never {
  return needsTensorFlow("getNumOfSavedModels");
}
