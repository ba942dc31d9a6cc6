/**
 * The widget state of a notebook run, as a frontend's widget manager keeps it: every widget the
 * kernel opened (`comm_open` on `jupyter.widget`), with the updates it sent, minus the ones it
 * closed. Saved as the notebook's `metadata.widgets` (`application/vnd.jupyter.widget-state+json`,
 * version 2.0), which exported pages and frontends without a kernel render statically.
 */
import type { JupyterMessage } from "../wire/message.js";

export const WIDGET_STATE_MIME = "application/vnd.jupyter.widget-state+json";
export const WIDGET_VIEW_MIME = "application/vnd.jupyter.widget-view+json";

type Path = (string | number)[];

interface ModelState {
  model_name: string;
  model_module: string;
  model_module_version: string;
  state: Record<string, unknown>;
  /** Binary values by their path in `state`. */
  binary: Map<string, { path: Path; data: Buffer }>;
}

/** The saved form: `{ version_major: 2, version_minor: 0, state: { [model id]: { model_name, …, state, buffers? } } }`. */
export interface WidgetStateDocument {
  version_major: 2;
  version_minor: 0;
  state: Record<
    string,
    {
      model_name: string;
      model_module: string;
      model_module_version: string;
      state: Record<string, unknown>;
      buffers?: { path: Path; data: string; encoding: "base64" }[];
    }
  >;
}

/**
 * @example
 * const widgets = new WidgetStateCollector();
 * const off = client.onIopub((m) => widgets.handle(m));
 * // … run cells …
 * const doc = widgets.document(); if (doc) nb.metadata.widgets = { [WIDGET_STATE_MIME]: doc };
 */
export class WidgetStateCollector {
  private readonly models = new Map<string, ModelState>();

  handle(m: JupyterMessage): void {
    const c = m.content as { comm_id?: string; target_name?: string; data?: Record<string, unknown> };
    const id = c.comm_id;
    if (typeof id !== "string") return;
    switch (m.header.msg_type) {
      case "comm_open": {
        if (c.target_name !== "jupyter.widget") return;
        const state = (c.data?.state ?? {}) as Record<string, unknown>;
        const model: ModelState = {
          model_name: String(state._model_name),
          model_module: String(state._model_module),
          model_module_version: String(state._model_module_version),
          state: {},
          binary: new Map(),
        };
        this.models.set(id, model);
        merge(model, state, c.data?.buffer_paths, m.buffers);
        return;
      }
      case "comm_msg": {
        const model = this.models.get(id);
        const method = c.data?.method;
        if (model && (method === "update" || method === "echo_update"))
          merge(model, (c.data?.state ?? {}) as Record<string, unknown>, c.data?.buffer_paths, m.buffers);
        return;
      }
      case "comm_close":
        this.models.delete(id);
        return;
    }
  }

  /** The state document, or undefined when no widget is open. */
  document(): WidgetStateDocument | undefined {
    if (this.models.size === 0) return undefined;
    const state: WidgetStateDocument["state"] = {};
    for (const [id, m] of this.models) {
      const entry: WidgetStateDocument["state"][string] = {
        model_name: m.model_name,
        model_module: m.model_module,
        model_module_version: m.model_module_version,
        state: m.state,
      };
      if (m.binary.size > 0)
        entry.buffers = [...m.binary.values()].map((b) => ({
          path: b.path,
          data: b.data.toString("base64"),
          encoding: "base64",
        }));
      state[id] = entry;
    }
    return { version_major: 2, version_minor: 0, state };
  }
}

function merge(
  model: ModelState,
  state: Record<string, unknown>,
  bufferPaths: unknown,
  buffers: Buffer[] | undefined,
): void {
  for (const [k, v] of Object.entries(state)) {
    model.state[k] = v;
    for (const key of model.binary.keys()) if (JSON.parse(key)[0] === k) model.binary.delete(key);
  }
  if (!Array.isArray(bufferPaths)) return;
  bufferPaths.forEach((path, i) => {
    const data = buffers?.[i];
    if (!Array.isArray(path) || !data) return;
    model.binary.set(JSON.stringify(path), { path: path as Path, data: Buffer.from(data) });
    if (path.length === 1) delete model.state[String(path[0])];
  });
}
