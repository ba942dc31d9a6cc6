/**
 * `tf.env()`: TF.js's flag registry (`get`/`set`/`getBool` …), with the flags deepts acts on
 * (`DEBUG`, `PROD`, `DEPRECATION_WARNINGS_ENABLED`) and the platform flags programs read (`IS_NODE`,
 * `IS_BROWSER`). Flags a program sets that deepts does not use (e.g. `WEBGL_PACK`) are stored and
 * read back, so code that tunes another backend runs unchanged.
 */
import { getEngine } from "./engine.js";

export type FlagValue = number | boolean | string;

const DEFAULTS: Record<string, FlagValue> = {
  DEBUG: false,
  PROD: false,
  IS_BROWSER: false,
  IS_NODE: true,
  IS_TEST: false,
  DEPRECATION_WARNINGS_ENABLED: true,
  TENSORLIKE_CHECK_SHAPE_CONSISTENCY: true,
  CHECK_COMPUTATION_FOR_ERRORS: true,
};

/** Flags with an effect: setting them updates the engine. */
const EFFECTS: Record<string, (v: FlagValue) => void> = {
  DEBUG: (v) => {
    getEngine().debugMode = Boolean(v);
  },
};

/** The flag registry behind `tf.env()` (one instance, `tf.ENV`). Example: `tf.env().getFlags()`. */
export class Environment {
  /** Every flag set or read so far, by name. */
  readonly flags: Record<string, FlagValue> = {};
  private readonly registered = new Map<string, () => FlagValue>();

  constructor() {
    for (const [name, value] of Object.entries(DEFAULTS)) this.registerFlag(name, () => value);
  }

  /** Declares a flag with the function that gives its default. */
  registerFlag(name: string, evaluate: () => FlagValue, setHook?: (value: FlagValue) => void): void {
    this.registered.set(name, evaluate);
    if (setHook) EFFECTS[name] = setHook;
  }

  /** A flag's value. Example: `tf.env().get("IS_NODE")` → true. */
  get(name: string): FlagValue {
    if (name in this.flags) return this.flags[name];
    const evaluate = this.registered.get(name);
    if (!evaluate)
      throw new Error(`tf.env().get: no flag named '${name}' (known: ${[...this.registered.keys()].join(", ")})`);
    this.flags[name] = evaluate();
    return this.flags[name];
  }

  async getAsync(name: string): Promise<FlagValue> {
    return this.get(name);
  }

  getBool(name: string): boolean {
    return this.get(name) as boolean;
  }

  getNumber(name: string): number {
    return this.get(name) as number;
  }

  getString(name: string): string {
    return this.get(name) as string;
  }

  /** Every flag with its current value. */
  getFlags(): Record<string, FlagValue> {
    return { ...this.flags };
  }

  get features(): Record<string, FlagValue> {
    return this.getFlags();
  }

  /** Sets a flag. Example: `tf.env().set("DEBUG", true)` (what `tf.enableDebugMode()` does). */
  set(name: string, value: FlagValue): void {
    if (!this.registered.has(name)) this.registered.set(name, () => value);
    this.flags[name] = value;
    EFFECTS[name]?.(value);
  }

  setFlags(flags: Record<string, FlagValue>): void {
    for (const [name, value] of Object.entries(flags)) this.set(name, value);
  }

  /** Forgets every value set, back to the defaults. */
  reset(): void {
    for (const name of Object.keys(this.flags)) delete this.flags[name];
    getEngine().debugMode = false;
  }
}

/** The environment (`tf.env()`). Example: `tf.ENV.get("IS_NODE")`. */
export const ENV = new Environment();

/** The flag registry. Example: `tf.env().set("DEBUG", true)`, `tf.env().getBool("IS_NODE")`. */
export function env(): Environment {
  return ENV;
}

/**
 * Debug mode: every kernel's float result is read back and a NaN or ±Infinity is reported with the
 * kernel's name (slow; for finding where a NaN starts). Example: `tf.enableDebugMode()`.
 */
export function enableDebugMode(): void {
  ENV.set("DEBUG", true);
}

/** Production mode: turns debug mode off. Example: `tf.enableProdMode()`. */
export function enableProdMode(): void {
  ENV.set("PROD", true);
  ENV.set("DEBUG", false);
}

/** Silences `deprecationWarn` messages. Example: `tf.disableDeprecationWarnings()`. */
export function disableDeprecationWarnings(): void {
  ENV.set("DEPRECATION_WARNINGS_ENABLED", false);
  console.warn("TensorFlow.js deprecation warnings have been disabled.");
}

/** Prints a deprecation warning (unless disabled). Example: `tf.deprecationWarn("use tf.foo instead")`. */
export function deprecationWarn(msg: string): void {
  if (ENV.getBool("DEPRECATION_WARNINGS_ENABLED")) {
    console.warn(`${msg} You can disable deprecation warnings with tf.disableDeprecationWarnings().`);
  }
}
