/** Name conversions between TF.js (camelCase) and Keras (snake_case) identifiers and configs. */

export function toCamel(s: string): string {
  return s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

export function toSnake(s: string): string {
  return s.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();
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

/** Looks `name` up in `table` accepting camelCase, snake_case or any case ('glorot_uniform', 'GlorotUniform'). */
export function lookupByName<T>(kind: string, name: string, table: Record<string, T>): T {
  const key = toCamel(name).toLowerCase();
  for (const [k, v] of Object.entries(table)) if (k.toLowerCase() === key) return v;
  throw new Error(`Unknown ${kind} '${name}'. Known: ${Object.keys(table).join(", ")}`);
}
