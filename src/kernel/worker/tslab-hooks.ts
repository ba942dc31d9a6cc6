/**
 * Module resolution hooks (Node's `module.register`) installed in the executor worker: the
 * specifier `tslab`, and the `tslab` package's own entry file when a notebook folder has it
 * installed, load `tslab-module.js` instead. The real package needs tslab's own kernel to be
 * running (its display throws "Not ready" anywhere else).
 */
const replacement = new URL("./tslab-module.js", import.meta.url).href;
const TSLAB_ENTRY = /\/node_modules\/tslab\/dist\/public\.js$/;

type Resolved = { url: string; format?: string | null; shortCircuit?: boolean };
type NextResolve = (specifier: string, context: unknown) => Promise<Resolved>;

export async function resolve(specifier: string, context: unknown, next: NextResolve): Promise<Resolved> {
  if (specifier === "tslab") return { url: replacement, format: "module", shortCircuit: true };
  const resolved = await next(specifier, context);
  if (TSLAB_ENTRY.test(resolved.url)) return { url: replacement, format: "module", shortCircuit: true };
  return resolved;
}
