/**
 * Activation functions by name ('relu', 'softmax', 'hard_sigmoid' …), as used by layers'
 * `activation` option and `tf.layers.activation`.
 */
import * as tf from "./core.js";
import { lookupByName } from "./naming.js";

export interface Activation {
  /** The TF.js name, e.g. 'relu', 'hardSigmoid' (saved as Keras's 'hard_sigmoid'). */
  readonly name: string;
  apply(x: tf.Tensor): tf.Tensor;
}

const FUNCTIONS: Record<string, (x: tf.Tensor) => tf.Tensor> = {
  linear: (x) => x,
  relu: (x) => tf.relu(x),
  relu6: (x) => tf.minimum(tf.relu(x), 6),
  elu: (x) => tf.where(tf.greater(x, 0), x, tf.sub(tf.exp(x), 1)),
  selu: (x) => {
    const alpha = 1.6732632423543772;
    const scale = 1.0507009873554805;
    return tf.mul(scale, tf.where(tf.greater(x, 0), x, tf.mul(alpha, tf.sub(tf.exp(x), 1))));
  },
  sigmoid: (x) => tf.sigmoid(x),
  hardSigmoid: (x) => tf.maximum(tf.minimum(tf.add(tf.mul(x, 0.2), 0.5), 1), 0),
  tanh: (x) => tf.tanh(x),
  softmax: (x) => tf.softmax(x),
  logSoftmax: (x) => tf.logSoftmax(x),
  softplus: (x) => tf.softplus(x),
  softsign: (x) => tf.div(x, tf.add(tf.abs(x), 1)),
  swish: (x) => tf.mul(x, tf.sigmoid(x)),
  gelu: (x) => tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2)))),
  // The tanh approximation of gelu.
  geluNew: (x) =>
    tf.mul(
      tf.mul(x, 0.5),
      tf.add(1, tf.tanh(tf.mul(Math.sqrt(2 / Math.PI), tf.add(x, tf.mul(0.044715, tf.mul(x, tf.square(x))))))),
    ),
  mish: (x) => tf.mul(x, tf.tanh(tf.softplus(x))),
};

/** TF.js's saved name where it is not the table key. */
const SAVED_NAMES: Record<string, string> = { geluNew: "gelu_new" };

/**
 * The name under which a fused kernel (BiasActivation, ActivationGrad) computes `a`, when it is one
 * of the built-in linear/relu/sigmoid/tanh functions; undefined otherwise.
 */
export function fusableActivation(a: Activation): "linear" | "relu" | "sigmoid" | "tanh" | undefined {
  return (["linear", "relu", "sigmoid", "tanh"] as const).find((name) => FUNCTIONS[name] === a.apply);
}

/** Names accepted by `getActivation`. */
export const ACTIVATION_NAMES = Object.keys(FUNCTIONS);

/**
 * Resolves an activation given by name (camelCase or snake_case), by object, or by function.
 *
 * ```ts
 * getActivation("relu").apply(x);
 * ```
 */
export function getActivation(a: string | Activation | ((x: tf.Tensor) => tf.Tensor) | null | undefined): Activation {
  if (a == null) return { name: "linear", apply: FUNCTIONS.linear };
  if (typeof a === "function") return { name: a.name || "custom", apply: a };
  if (typeof a === "object") return a;
  const fn = lookupByName("activation", a, FUNCTIONS);
  const canonical = Object.keys(FUNCTIONS).find((k) => FUNCTIONS[k] === fn)!;
  return { name: SAVED_NAMES[canonical] ?? canonical, apply: fn };
}
