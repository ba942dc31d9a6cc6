/**
 * `tf.serialization`: registering classes so saved models that contain them load again, with
 * TF.js's names (`registerClass`, `Serializable`, `SerializationMap`, `getRegisteredName`, and the
 * `ConfigDict` types for `getConfig`).
 *
 * ```ts
 * class Scale extends tf.layers.Layer {
 *   static className = "Scale";
 *   getConfig(): tf.serialization.ConfigDict { return { ...super.getConfig() }; }
 * }
 * tf.serialization.registerClass(Scale);
 * ```
 */
import { registerClass, registeredClasses, type ConfigDict, type SerializableConstructor } from "./registry.js";

export { registerClass, getRegisteredName, Serializable } from "./registry.js";
export type { SerializableConstructor, ConfigDict, ConfigDictValue, ConfigDictArray } from "./registry.js";

/** How a class builds an instance from its configuration. */
export type FromConfigMethod<T> = (cls: SerializableConstructor<T>, config: ConfigDict) => T;

/** The registry of serializable classes (TF.js's name for it). */
export class SerializationMap {
  private static instance: SerializationMap | undefined;
  /** className → [class, its fromConfig]. */
  get classNameMap(): Record<string, [SerializableConstructor, FromConfigMethod<unknown> | undefined]> {
    const map: Record<string, [SerializableConstructor, FromConfigMethod<unknown> | undefined]> = {};
    for (const [name, cls] of registeredClasses()) map[name] = [cls, cls.fromConfig as FromConfigMethod<unknown>];
    return map;
  }
  /** The one registry. */
  static getMap(): SerializationMap {
    SerializationMap.instance ??= new SerializationMap();
    return SerializationMap.instance;
  }
  /** Same as `registerClass(cls)`. */
  static register<T>(cls: SerializableConstructor<T>): void {
    registerClass(cls);
  }
}
