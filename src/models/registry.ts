/** Layer classes by Keras class name, for rebuilding models from their saved configuration. */
import type { Layer } from "./topology.js";

export type LayerFactory = (config: Record<string, unknown>) => Layer;

const factories = new Map<string, LayerFactory>();

export function registerLayerClass(className: string, factory: LayerFactory): void {
  factories.set(className, factory);
}

export function layerFactory(className: string): LayerFactory {
  const f = factories.get(className);
  if (!f)
    throw new Error(
      `Unknown layer class '${className}' in model config (known: ${[...factories.keys()].sort().join(", ")})`,
    );
  return f;
}
