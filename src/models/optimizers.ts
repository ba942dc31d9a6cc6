/**
 * Optimizers (`tf.train.*`) with the same update rules and defaults as TF.js, plus learning-rate
 * schedules. An optimizer keeps its per-variable state ("slots") keyed by variable name.
 */
import * as tf from "./core.js";
import { getEngine } from "../runtime/engine.js";
import { adamMoments, adamStep } from "../runtime/ops/optimizer.js";
import { lookupByName } from "./naming.js";

/** Learning rate as a function of the optimizer step (0 for the first update). */
export type LearningRateSchedule = (step: number) => number;

export type NamedGradients = Record<string, tf.Tensor> | { name: string; tensor: tf.Tensor }[];

const EPSILON = 1e-7;

/**
 * What every `tf.train.*` optimizer is: it turns gradients into updates of variables, keeping
 * its own state per variable. Use `minimize(f)` in a custom loop, or pass it to `model.compile`.
 *
 * ```ts
 * const opt: tf.Optimizer = tf.train.adam(0.01);
 * model.compile({ optimizer: opt, loss: "meanSquaredError" });
 * ```
 */
export abstract class Optimizer {
  /** The rate the next update uses. Assign to change it (this drops any schedule). */
  learningRate: number;
  /** Number of `applyGradients` calls so far. */
  iterations = 0;
  private schedule: LearningRateSchedule | undefined;
  private readonly slots = new Map<string, Record<string, tf.Variable>>();

  constructor(learningRate: number | LearningRateSchedule) {
    if (typeof learningRate === "function") {
      this.schedule = learningRate;
      this.learningRate = learningRate(0);
    } else {
      this.learningRate = learningRate;
    }
    if (!(this.learningRate >= 0)) throw new Error(`learning rate must be a number ≥ 0, got ${this.learningRate}`);
  }

  /** Sets a fixed rate, or a schedule called with the step number before every update. */
  setLearningRate(lr: number | LearningRateSchedule): void {
    if (typeof lr === "function") {
      this.schedule = lr;
      this.learningRate = lr(this.iterations);
    } else {
      this.schedule = undefined;
      this.learningRate = lr;
    }
  }

  /**
   * Runs `f`, differentiates its scalar result with respect to `varList` (default: all trainable
   * variables) and applies one update.
   *
   * ```ts
   * const opt = tf.train.sgd(0.1);
   * const w = tf.variable(tf.scalar(3));
   * opt.minimize(() => tf.square(w)); // w ← 3 − 0.1·6
   * ```
   */
  minimize(f: () => tf.Tensor, returnCost = false, varList?: tf.Variable[]): tf.Scalar | null {
    const { value, grads } = this.computeGradients(f, varList);
    this.applyGradients(grads);
    tf.dispose(Object.values(grads));
    if (returnCost) return value;
    value.dispose();
    return null;
  }

  /** `tf.variableGrads(f, varList)`: the value of `f` and its gradients by variable name. */
  computeGradients(
    f: () => tf.Tensor,
    varList?: tf.Variable[],
  ): { value: tf.Tensor; grads: Record<string, tf.Tensor> } {
    return tf.variableGrads(f, varList) as { value: tf.Tensor; grads: Record<string, tf.Tensor> };
  }

  /**
   * Updates each variable named in `grads` (as returned by `tf.variableGrads`) one step.
   * `variables` may be passed when they are not registered by name (e.g. disposed and recreated).
   */
  applyGradients(grads: NamedGradients, variables?: tf.Variable[]): void {
    if (this.schedule) this.learningRate = this.schedule(this.iterations);
    const entries = Array.isArray(grads) ? grads.map((g) => [g.name, g.tensor] as const) : Object.entries(grads);
    const byName = new Map((variables ?? []).map((v) => [v.name, v]));
    const registry = getEngine().registeredVariables;
    const lr = this.learningRate;
    tf.tidy(() => {
      for (const [name, g] of entries) {
        if (g == null) continue;
        const v = byName.get(name) ?? registry.get(name);
        if (!v) throw new Error(`applyGradients: no variable named '${name}'`);
        this.update(v, g, (slot, init = 0, shape = v.shape) => this.slot(v, slot, init, shape), lr);
      }
    });
    this.afterStep();
    this.iterations++;
  }

  /** Applies one update to `v` given its gradient. */
  protected abstract update(
    v: tf.Variable,
    g: tf.Tensor,
    slot: (name: string, init?: number, shape?: number[]) => tf.Variable,
    lr: number,
  ): void;

  /** Hook for state shared by all variables (e.g. Adam's β powers). */
  protected afterStep(): void {}

  private slot(v: tf.Variable, name: string, init: number, shape: number[]): tf.Variable {
    let record = this.slots.get(v.name);
    if (!record) this.slots.set(v.name, (record = {}));
    if (!record[name]) record[name] = tf.variable(tf.fill(shape, init), false);
    return record[name];
  }

  /** The optimizer's class name as saved models record it (`"Adam"`, `"SGD"` …). */
  abstract getClassName(): string;
  /** Its hyperparameters as a plain object (learning rate, betas …), as saved with a model. */
  getConfig(): Record<string, unknown> {
    return { learningRate: this.learningRate };
  }

  /** The step count as TF.js saves it: `{ name: "iter", tensor: int32 scalar }`. */
  async saveIterations(): Promise<{ name: string; tensor: tf.Tensor }> {
    return { name: "iter", tensor: tf.scalar(this.iterations, "int32") };
  }

  /**
   * The optimizer's state as named tensors in TF.js's layout: `iter` first, then each variable's
   * slots as `variableName/slot` (e.g. `dense/kernel/m`). Example: `await opt.getWeights()`.
   */
  async getWeights(): Promise<{ name: string; tensor: tf.Tensor }[]> {
    const out = [await this.saveIterations()];
    for (const [varName, record] of this.slots) {
      for (const [slot, v] of Object.entries(record)) out.push(...this.exportSlot(varName, slot, v));
    }
    return out;
  }

  /** Restores state saved by `getWeights` (from deepts or TF.js). Example: `await opt.setWeights(saved)`. */
  async setWeights(weights: { name: string; tensor: tf.Tensor }[]): Promise<void> {
    for (const { name, tensor } of weights) {
      if (name === "iter") {
        this.iterations = Number(tensor.dataSync()[0]);
        this.restoredIterations();
        continue;
      }
      const cut = name.lastIndexOf("/");
      if (cut <= 0) throw new Error(`setWeights: '${name}' is not a 'variableName/slot' name`);
      this.importSlot(name.slice(0, cut), name.slice(cut + 1), tensor);
    }
  }

  /** One slot as saved tensors (subclasses that pack slots split them here). */
  protected exportSlot(varName: string, slot: string, v: tf.Variable): { name: string; tensor: tf.Tensor }[] {
    return [{ name: `${varName}/${slot}`, tensor: v }];
  }

  /** Sets (or creates) slot `slot` of variable `varName` from saved values. */
  protected importSlot(varName: string, slot: string, values: tf.Tensor): void {
    let record = this.slots.get(varName);
    if (!record) this.slots.set(varName, (record = {}));
    if (record[slot]) record[slot].assign(values);
    else record[slot] = tf.variable(tf.clone(values), false);
  }

  /** The slot variable, if the optimizer has made it. */
  protected existingSlot(varName: string, slot: string): tf.Variable | undefined {
    return this.slots.get(varName)?.[slot];
  }

  /** Hook after `iterations` was restored (e.g. Adam's β powers follow it). */
  protected restoredIterations(): void {}

  /** Frees the optimizer's state variables. */
  dispose(): void {
    for (const record of this.slots.values()) for (const s of Object.values(record)) s.dispose();
    this.slots.clear();
  }
}

/** Plain gradient descent: `w ← w − lr·g`. Made by `tf.train.sgd(lr)`. */
export class SGDOptimizer extends Optimizer {
  protected update(v: tf.Variable, g: tf.Tensor, _slot: unknown, lr: number): void {
    v.assign(tf.sub(v, tf.mul(lr, g)));
  }
  getClassName(): string {
    return "SGD";
  }
}

/** Gradient descent with momentum (optionally Nesterov). Made by `tf.train.momentum(lr, momentum)`. */
export class MomentumOptimizer extends Optimizer {
  constructor(
    learningRate: number | LearningRateSchedule,
    readonly momentum: number,
    readonly useNesterov = false,
  ) {
    super(learningRate);
  }
  protected update(v: tf.Variable, g: tf.Tensor, slot: (n: string) => tf.Variable, lr: number): void {
    const acc = slot("momentum");
    const next = tf.add(tf.mul(acc, this.momentum), g);
    acc.assign(next);
    const step = this.useNesterov ? tf.add(g, tf.mul(next, this.momentum)) : next;
    v.assign(tf.sub(v, tf.mul(lr, step)));
  }
  getClassName(): string {
    return "Momentum";
  }
  override getConfig(): Record<string, unknown> {
    return { learningRate: this.learningRate, momentum: this.momentum, useNesterov: this.useNesterov };
  }
}

/** Adagrad: per-weight rates that shrink with the sum of squared gradients. Made by `tf.train.adagrad(lr)`. */
export class AdagradOptimizer extends Optimizer {
  constructor(
    learningRate: number | LearningRateSchedule,
    readonly initialAccumulatorValue = 0.1,
  ) {
    super(learningRate);
  }
  protected update(v: tf.Variable, g: tf.Tensor, slot: (n: string, init?: number) => tf.Variable, lr: number): void {
    const acc = slot("accumulator", this.initialAccumulatorValue);
    const next = tf.add(acc, tf.square(g));
    acc.assign(next);
    v.assign(tf.sub(v, tf.mul(lr, tf.div(g, tf.sqrt(tf.add(next, EPSILON))))));
  }
  getClassName(): string {
    return "Adagrad";
  }
  override getConfig(): Record<string, unknown> {
    return { learningRate: this.learningRate, initialAccumulatorValue: this.initialAccumulatorValue };
  }
}

/** As TF.js: the step uses the squared-gradient average from before this update. */
/** Adadelta: steps scaled by running averages of squared gradients and updates. Made by `tf.train.adadelta()`. */
export class AdadeltaOptimizer extends Optimizer {
  constructor(
    learningRate: number | LearningRateSchedule,
    readonly rho = 0.95,
    readonly epsilon = EPSILON,
  ) {
    super(learningRate);
  }
  protected update(v: tf.Variable, g: tf.Tensor, slot: (n: string) => tf.Variable, lr: number): void {
    const accGrad = slot("accum_grad");
    const accUpdate = slot("accum_var");
    const newAccGrad = tf.add(tf.mul(accGrad, this.rho), tf.mul(tf.square(g), 1 - this.rho));
    const updates = tf.mul(tf.div(tf.sqrt(tf.add(accUpdate, this.epsilon)), tf.sqrt(tf.add(accGrad, this.epsilon))), g);
    const newAccUpdate = tf.add(tf.mul(accUpdate, this.rho), tf.mul(tf.square(updates), 1 - this.rho));
    accGrad.assign(newAccGrad);
    accUpdate.assign(newAccUpdate);
    v.assign(tf.sub(v, tf.mul(lr, updates)));
  }
  getClassName(): string {
    return "Adadelta";
  }
  override getConfig(): Record<string, unknown> {
    return { learningRate: this.learningRate, rho: this.rho, epsilon: this.epsilon };
  }
}

/** TF.js's rule; the centered variant uses Keras's `sqrt(ms − mg² + ε)` denominator. */
/** RMSProp: steps divided by a running root-mean-square of the gradients. Made by `tf.train.rmsprop(lr)`. */
export class RMSPropOptimizer extends Optimizer {
  constructor(
    learningRate: number | LearningRateSchedule,
    readonly decay = 0.9,
    readonly momentum = 0,
    readonly epsilon = EPSILON,
    readonly centered = false,
  ) {
    super(learningRate);
  }
  protected update(v: tf.Variable, g: tf.Tensor, slot: (n: string) => tf.Variable, lr: number): void {
    const ms = slot("rms");
    const mom = slot("momentum");
    const newMs = tf.add(tf.mul(ms, this.decay), tf.mul(tf.square(g), 1 - this.decay));
    let denom: tf.Tensor;
    if (this.centered) {
      const mg = slot("mg");
      const newMg = tf.add(tf.mul(mg, this.decay), tf.mul(g, 1 - this.decay));
      mg.assign(newMg);
      // Keras's form: TF.js subtracts epsilon here instead, which can take the root of a negative number.
      denom = tf.sqrt(tf.add(tf.sub(newMs, tf.square(newMg)), this.epsilon));
    } else {
      denom = tf.sqrt(tf.add(newMs, this.epsilon));
    }
    const newMom = tf.add(tf.mul(mom, this.momentum), tf.div(tf.mul(g, lr), denom));
    ms.assign(newMs);
    mom.assign(newMom);
    v.assign(tf.sub(v, newMom));
  }
  getClassName(): string {
    return "RMSProp";
  }
  override getConfig(): Record<string, unknown> {
    return {
      learningRate: this.learningRate,
      decay: this.decay,
      momentum: this.momentum,
      epsilon: this.epsilon,
      centered: this.centered,
    };
  }
}

/** Adam: momentum and RMS scaling with bias correction. Made by `tf.train.adam(lr)`. */
export class AdamOptimizer extends Optimizer {
  private beta1Power: number;
  private beta2Power: number;
  constructor(
    learningRate: number | LearningRateSchedule = 0.001,
    readonly beta1 = 0.9,
    readonly beta2 = 0.999,
    readonly epsilon = EPSILON,
  ) {
    super(learningRate);
    this.beta1Power = beta1;
    this.beta2Power = beta2;
  }
  protected update(
    v: tf.Variable,
    g: tf.Tensor,
    slot: (n: string, init?: number, shape?: number[]) => tf.Variable,
    lr: number,
  ): void {
    // m and v live in one slot [2, ...shape], so each step is two fused kernels.
    const moments = slot("m_v", 0, [2, ...v.shape]);
    const next = adamMoments(moments, g.dtype === "float32" ? g : tf.cast(g, "float32"), this.beta1, this.beta2);
    moments.assign(next);
    v.assign(adamStep(v, next, lr, this.beta1Power, this.beta2Power, this.epsilon));
  }
  protected override afterStep(): void {
    this.beta1Power *= this.beta1;
    this.beta2Power *= this.beta2;
  }
  protected override restoredIterations(): void {
    this.beta1Power = this.beta1 ** (this.iterations + 1);
    this.beta2Power = this.beta2 ** (this.iterations + 1);
  }
  // The packed [2, ...shape] moments are saved as TF.js's separate `m` and `v`.
  protected override exportSlot(varName: string, slot: string, v: tf.Variable): { name: string; tensor: tf.Tensor }[] {
    if (slot !== "m_v") return super.exportSlot(varName, slot, v);
    const [m, second] = tf.unstack(v, 0);
    return [
      { name: `${varName}/m`, tensor: m },
      { name: `${varName}/v`, tensor: second },
    ];
  }
  protected override importSlot(varName: string, slot: string, values: tf.Tensor): void {
    if (slot !== "m" && slot !== "v") return super.importSlot(varName, slot, values);
    const packed = this.existingSlot(varName, "m_v");
    const halves = packed ? tf.unstack(packed, 0) : [tf.zerosLike(values), tf.zerosLike(values)];
    halves[slot === "m" ? 0 : 1] = values;
    super.importSlot(varName, "m_v", tf.stack(halves, 0));
  }
  getClassName(): string {
    return "Adam";
  }
  override getConfig(): Record<string, unknown> {
    return { learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}

/** Adamax: Adam with the infinity norm in place of the RMS. Made by `tf.train.adamax(lr)`. */
export class AdamaxOptimizer extends Optimizer {
  private beta1Power: number;
  constructor(
    learningRate: number | LearningRateSchedule = 0.002,
    readonly beta1 = 0.9,
    readonly beta2 = 0.999,
    readonly epsilon = EPSILON,
    readonly decay = 0,
  ) {
    super(learningRate);
    this.beta1Power = beta1;
  }
  protected update(v: tf.Variable, g: tf.Tensor, slot: (n: string) => tf.Variable, lr: number): void {
    const m = slot("m");
    const u = slot("v");
    const rate = lr / (1 + this.iterations * this.decay) / (1 - this.beta1Power);
    const newM = tf.add(tf.mul(m, this.beta1), tf.mul(g, 1 - this.beta1));
    const newU = tf.maximum(tf.mul(u, this.beta2), tf.abs(g));
    m.assign(newM);
    u.assign(newU);
    v.assign(tf.sub(v, tf.mul(rate, tf.div(newM, tf.add(newU, this.epsilon)))));
  }
  protected override afterStep(): void {
    this.beta1Power *= this.beta1;
  }
  protected override restoredIterations(): void {
    this.beta1Power = this.beta1 ** (this.iterations + 1);
  }
  getClassName(): string {
    return "Adamax";
  }
  override getConfig(): Record<string, unknown> {
    return {
      learningRate: this.learningRate,
      beta1: this.beta1,
      beta2: this.beta2,
      epsilon: this.epsilon,
      decay: this.decay,
    };
  }
}

type Rate = number | LearningRateSchedule;

/**
 * `lr · decayRate^(step / decaySteps)` (with `staircase`, the exponent is floored).
 *
 * ```ts
 * const opt = tf.train.adam(tf.train.exponentialDecay({ initialLearningRate: 0.01, decaySteps: 100, decayRate: 0.5 }));
 * ```
 */
export function exponentialDecay(args: {
  initialLearningRate: number;
  decaySteps: number;
  decayRate: number;
  staircase?: boolean;
}): LearningRateSchedule {
  const { initialLearningRate, decaySteps, decayRate, staircase = false } = args;
  if (!(decaySteps > 0)) throw new Error(`exponentialDecay: decaySteps must be > 0, got ${decaySteps}`);
  return (step) => {
    const p = step / decaySteps;
    return initialLearningRate * Math.pow(decayRate, staircase ? Math.floor(p) : p);
  };
}

/** Constant rates between step `boundaries`: `values[i]` until `boundaries[i]`, then the next. */
export function piecewiseConstantDecay(args: { boundaries: number[]; values: number[] }): LearningRateSchedule {
  const { boundaries, values } = args;
  if (values.length !== boundaries.length + 1)
    throw new Error("piecewiseConstantDecay: need one more value than boundaries");
  return (step) => {
    let i = 0;
    while (i < boundaries.length && step >= boundaries[i]) i++;
    return values[i];
  };
}

/** `tf.train.*`: optimizer factories with TF.js's positional arguments, and schedules. */
export const train = {
  /**
   * Stochastic gradient descent: each step moves every weight by `-learningRate × gradient`.
   * Example: `const opt = tf.train.sgd(0.1); opt.minimize(() => loss());`
   */
  sgd: (learningRate: Rate) => new SGDOptimizer(learningRate),
  /**
   * SGD with momentum: steps follow a running sum of gradients (`useNesterov` looks ahead).
   * Example: `tf.train.momentum(0.01, 0.9)`.
   */
  momentum: (learningRate: Rate, momentum: number, useNesterov = false) =>
    new MomentumOptimizer(learningRate, momentum, useNesterov),
  /**
   * Adagrad: each weight's rate shrinks as its squared gradients add up (good for sparse features).
   * Example: `tf.train.adagrad(0.1)`.
   */
  adagrad: (learningRate: Rate, initialAccumulatorValue = 0.1) =>
    new AdagradOptimizer(learningRate, initialAccumulatorValue),
  /** Adadelta: adapts step sizes from running averages, needing little tuning of the rate. Example: `tf.train.adadelta(1)`. */
  adadelta: (learningRate: Rate = 0.001, rho = 0.95, epsilon = EPSILON) =>
    new AdadeltaOptimizer(learningRate, rho, epsilon),
  /**
   * RMSProp: divides each step by a running root-mean-square of recent gradients; a good default
   * for recurrent networks. Example: `tf.train.rmsprop(0.001)`.
   */
  rmsprop: (learningRate: Rate, decay = 0.9, momentum = 0, epsilon = EPSILON, centered = false) =>
    new RMSPropOptimizer(learningRate, decay, momentum, epsilon, centered),
  /**
   * Adam: momentum plus per-weight scaling by recent squared gradients, bias-corrected; the usual
   * first choice (default rate 0.001).
   *
   * ```ts
   * model.compile({ optimizer: tf.train.adam(0.01), loss: "categoricalCrossentropy" });
   * ```
   */
  adam: (learningRate: Rate = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon = EPSILON) =>
    new AdamOptimizer(learningRate, beta1, beta2, epsilon),
  /** Adamax: a variant of Adam based on the largest recent gradient. Example: `tf.train.adamax(0.002)`. */
  adamax: (learningRate: Rate = 0.002, beta1 = 0.9, beta2 = 0.999, epsilon = EPSILON, decay = 0) =>
    new AdamaxOptimizer(learningRate, beta1, beta2, epsilon, decay),
  /**
   * A learning rate that decays exponentially with the step: `lr · decayRate^(step / decaySteps)`.
   * Example: `tf.train.adam(tf.train.exponentialDecay({ initialLearningRate: 0.01, decaySteps: 100, decayRate: 0.5 }))`.
   */
  exponentialDecay,
  /**
   * A learning rate constant between step boundaries.
   * Example: `tf.train.sgd(tf.train.piecewiseConstantDecay({ boundaries: [100], values: [0.1, 0.01] }))`.
   */
  piecewiseConstantDecay,
};

/**
 * TF.js's class of optimizer factories (`tf.train` is made of these); each static method is the
 * `tf.train` function of the same name. Example: `tf.OptimizerConstructors.adam(0.01)`.
 */
// biome-ignore lint/complexity/noStaticOnlyClass: TF.js exposes these factories as a class
export class OptimizerConstructors {
  static sgd = train.sgd;
  static momentum = train.momentum;
  static adagrad = train.adagrad;
  static adadelta = train.adadelta;
  static rmsprop = train.rmsprop;
  static adam = train.adam;
  static adamax = train.adamax;
}

const BY_NAME: Record<string, () => Optimizer> = {
  sgd: () => train.sgd(0.01),
  adagrad: () => train.adagrad(0.01),
  adadelta: () => train.adadelta(1, 0.95),
  adam: () => train.adam(0.001),
  adamax: () => train.adamax(0.002),
  rmsprop: () => train.rmsprop(0.001),
};

/** An optimizer by Keras name ('adam', 'sgd', 'rmsprop' …, with Keras's default rates) or as given. */
export function getOptimizer(id: string | Optimizer): Optimizer {
  if (id instanceof Optimizer) return id;
  return lookupByName("optimizer", id, BY_NAME)();
}

/**
 * An optimizer from its saved `{ className, config }` (TF.js's class names and config keys; Keras's
 * `lr` / `beta_1` spellings are accepted too).
 */
export function optimizerFromConfig(className: string, config: Record<string, unknown> = {}): Optimizer {
  const num = (...keys: string[]) => {
    for (const k of keys) if (typeof config[k] === "number") return config[k] as number;
    return undefined;
  };
  const rate = num("learningRate", "lr");
  switch (className.toLowerCase()) {
    case "sgd":
      return num("momentum")
        ? train.momentum(rate ?? 0.01, num("momentum")!, Boolean(config.nesterov))
        : train.sgd(rate ?? 0.01);
    case "momentum":
      return train.momentum(rate ?? 0.01, num("momentum") ?? 0.9, Boolean(config.useNesterov ?? config.nesterov));
    case "adagrad":
      return train.adagrad(rate ?? 0.01, num("initialAccumulatorValue") ?? 0.1);
    case "adadelta":
      return train.adadelta(rate ?? 0.001, num("rho") ?? 0.95, num("epsilon") ?? EPSILON);
    case "rmsprop":
      return train.rmsprop(
        rate ?? 0.001,
        num("decay", "rho") ?? 0.9,
        num("momentum") ?? 0,
        num("epsilon") ?? EPSILON,
        Boolean(config.centered),
      );
    case "adam":
      return train.adam(rate ?? 0.001, num("beta1") ?? 0.9, num("beta2") ?? 0.999, num("epsilon") ?? EPSILON);
    case "adamax":
      return train.adamax(
        rate ?? 0.002,
        num("beta1") ?? 0.9,
        num("beta2") ?? 0.999,
        num("epsilon") ?? EPSILON,
        num("decay") ?? 0,
      );
    default:
      throw new Error(`Unknown optimizer class '${className}' in the saved training config`);
  }
}
