/**
 * Name conversions between TF.js (camelCase) and Keras (snake_case) identifiers and configs, with
 * the rules TF.js's layers-model format uses, so configs written here read back the same in TF.js.
 */

/**
 * 'GlobalAveragePooling2D' → 'global_average_pooling2d', 'PReLU' → 'p_re_lu', 'hardSigmoid' →
 * 'hard_sigmoid' (Keras's rule: a capital that starts a lowercase run, or follows a lowercase letter,
 * starts a word). A leading underscore becomes 'private_'.
 */
export function toSnake(s: string): string {
  const words = s.replace(/(.)([A-Z][a-z0-9]+)/g, "$1_$2");
  const snake = words.replace(/([a-z])([A-Z])/g, "$1_$2").toLowerCase();
  return snake.startsWith("_") ? `private${snake}` : snake;
}

/** 'hard_sigmoid' → 'hardSigmoid'; strings without an underscore are returned unchanged. */
export function toCamel(s: string): string {
  if (s.length <= 1 || !s.includes("_")) return s;
  return s.replace(/_+(\w|$)/g, (_, c: string) => c.toUpperCase());
}

/** Deep-converts object keys (not string values) with `convert`. */
export function convertKeys(value: unknown, convert: (k: string) => string): unknown {
  if (Array.isArray(value)) return value.map((v) => convertKeys(v, convert));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[convert(k)] = convertKeys(v, convert);
    return out;
  }
  return value;
}

/** Keys whose arrays start with a layer name that must not be converted (`[name, node, tensor]`). */
const NAME_LIST_KEYS = new Set(["inboundNodes", "outputLayers", "inputLayers"]);

/**
 * A configuration as TF.js writes it into model.json: keys and string values in snake_case, except
 * `name` / `className` values and the layer names that start inbound-node and input/output entries.
 * Undefined becomes null.
 */
export function configToJson(value: unknown, key?: string): unknown {
  return convertConfig(value, key, toSnake, new Set(["name", "className"]));
}

/** The inverse of {@link configToJson}: keys and string values to camelCase (except `name`). */
export function configFromJson(value: unknown, key?: string): unknown {
  return convertConfig(value, key, toCamel, new Set(["name"]));
}

function convertConfig(
  value: unknown,
  key: string | undefined,
  convert: (s: string) => string,
  verbatimKeys: Set<string>,
): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === "string") return convert(value);
  if (typeof value !== "object") return value;
  if (Array.isArray(value)) {
    return value.map((item, i) =>
      i === 0 && typeof item === "string" && key !== undefined && NAME_LIST_KEYS.has(key)
        ? item
        : convertConfig(item, key, convert, verbatimKeys),
    );
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const camelKey = convert === toCamel ? toCamel(k) : k;
    const outKey = convert(k);
    out[outKey] =
      verbatimKeys.has(camelKey) && typeof v === "string" ? v : convertConfig(v, camelKey, convert, verbatimKeys);
  }
  return out;
}

/** Looks `name` up in `table` accepting camelCase, snake_case or any case ('glorot_uniform', 'GlorotUniform'). */
export function lookupByName<T>(kind: string, name: string, table: Record<string, T>): T {
  const key = toCamel(name).toLowerCase();
  for (const [k, v] of Object.entries(table)) if (k.toLowerCase() === key) return v;
  throw new Error(`Unknown ${kind} '${name}'. Known: ${Object.keys(table).join(", ")}`);
}
