/**
 * Classes by serialization name (`tf.serialization`): how saved configurations find the class
 * that rebuilds them. Built-in layers register here as they are defined; user classes register
 * with `tf.serialization.registerClass(MyLayer)`.
 */

/** A value in a configuration: JSON values. */
export type ConfigDictValue = boolean | number | string | null | ConfigDictArray | ConfigDict;
/** A configuration object (what `getConfig` returns): JSON, camelCase keys. */
export interface ConfigDict {
  [key: string]: ConfigDictValue;
}
/** A list in a configuration. */
export interface ConfigDictArray extends Array<ConfigDictValue> {}

/** A configuration as stored in a model: `{ className, config }` (camelCase keys). */
export interface ClassConfig {
  className: string;
  config: ConfigDict;
}

/** What `registerClass` accepts: a class with a static `className`, built from its config. */
export interface SerializableConstructor<T = unknown> {
  // biome-ignore lint/suspicious/noExplicitAny: each class takes its own option bag
  new (config: any): T;
  className?: string;
  fromConfig?(cls: SerializableConstructor<T>, config: Record<string, unknown>): T;
}

/**
 * The base of serializable objects (layers, initializers …): `getClassName()` returns the class's
 * static `className`, and the static `fromConfig` builds an instance from `getConfig()`'s output.
 */
export abstract class Serializable {
  /** The name this object is saved under: the class's static `className` (or its JS name). */
  getClassName(): string {
    const ctor = this.constructor as { className?: string; name: string };
    return ctor.className ?? ctor.name;
  }
  /** The constructor options that recreate this object. */
  abstract getConfig(): ConfigDict;
  /** Makes an instance of `cls` from a configuration (`new cls(config)` unless a class overrides it). */
  static fromConfig<T>(cls: SerializableConstructor<T>, config: Record<string, unknown>): T {
    return new cls(config);
  }
}

type Builder = (config: Record<string, unknown>) => unknown;

const builders = new Map<string, Builder>();
const registeredNames = new Map<unknown, string>();
const classes = new Map<string, SerializableConstructor>();

/** Registers how configurations saved under `className` are rebuilt (used for built-in models). */
export function registerBuilder(className: string, build: Builder): void {
  builders.set(className, build);
}

/**
 * Registers a class so that saved models containing it can be loaded (`tf.loadLayersModel`) and
 * its configurations deserialized. The class needs a static `className`.
 *
 * ```ts
 * class Antirectifier extends tf.layers.Layer {
 *   static className = "Antirectifier";
 *   call(x) { … }
 * }
 * tf.serialization.registerClass(Antirectifier);
 * ```
 */
export function registerClass<T>(
  cls: SerializableConstructor<T>,
  pkg?: string,
  name?: string,
): SerializableConstructor<T> {
  if (typeof cls !== "function") throw new Error("registerClass needs a class");
  const className = cls.className;
  if (typeof className !== "string" || className.length === 0) {
    throw new Error(
      `registerClass: class ${cls.name || "(anonymous)"} needs a static className, e.g. static className = "${cls.name || "MyLayer"}"`,
    );
  }
  const build: Builder = (config) => (cls.fromConfig ?? Serializable.fromConfig)(cls, config);
  builders.set(className, build);
  classes.set(className, cls as SerializableConstructor);
  const registered = `${pkg ?? "Custom"}>${name ?? className}`;
  builders.set(registered, build);
  registeredNames.set(cls, registered);
  return cls;
}

/** The name `registerClass` stored the class under ('Custom>MyLayer'), or its className. */
export function getRegisteredName(cls: SerializableConstructor): string | undefined {
  return registeredNames.get(cls) ?? cls.className;
}

/** Whether some class is registered under `className`. */
export function isRegistered(className: string): boolean {
  return builders.has(className);
}

/** Rebuilds an object from its `{ className, config }`. */
export function deserialize<T>(spec: ClassConfig, kind = "layer"): T {
  if (spec === null || typeof spec !== "object" || typeof spec.className !== "string") {
    throw new Error(`cannot deserialize ${kind}: expected { className, config }, got ${JSON.stringify(spec)}`);
  }
  const build = builders.get(spec.className);
  if (!build) {
    throw new Error(
      `Unknown ${kind} class '${spec.className}'. If it is your own class, register it first with tf.serialization.registerClass(${spec.className}) (it needs a static className).`,
    );
  }
  return build({ ...(spec.config ?? {}) }) as T;
}

/** The registered classes by className, as TF.js's `SerializationMap.getMap().classNameMap`. */
export function registeredClasses(): Map<string, SerializableConstructor> {
  return classes;
}
