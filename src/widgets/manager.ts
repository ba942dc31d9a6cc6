/**
 * The kernel side of a frontend's widget manager: the `jupyter.widget.control` target, whose
 * `request_states` a reloaded page sends to restore every live widget, and whether any
 * frontend with a widget manager has connected.
 */
import { getComms } from "./comms.js";
import { removeBuffers } from "./serialize.js";
import { liveWidgets } from "./widget.js";

export const CONTROL_TARGET = "jupyter.widget.control";

let managerSeen = false;

/** True once a frontend with a widget manager opened the control comm (JupyterLab, Notebook 7, Voilà do on connect). */
export function widgetManagerSeen(): boolean {
  return managerSeen;
}

/** Every live widget's model and state, with binary values split out (paths start with the model id). */
export function managerState(): {
  states: Record<
    string,
    { model_name: string; model_module: string; model_module_version: string; state: Record<string, unknown> }
  >;
  bufferPaths: (string | number)[][];
  buffers: Uint8Array[];
} {
  const full: Record<string, unknown> = {};
  for (const [id, w] of liveWidgets()) full[id] = { ...w.modelName, state: w.jsonState() };
  const { state, bufferPaths, buffers } = removeBuffers(full);
  return { states: state as ReturnType<typeof managerState>["states"], bufferPaths, buffers };
}

/** Registers the control target with the kernel's comms (the executor does this at start). */
export function installWidgetControl(): void {
  getComms().registerTarget(CONTROL_TARGET, (comm) => {
    managerSeen = true;
    comm.onMsg((data) => {
      const method = (data as { method?: string } | null)?.method;
      if (method !== "request_states") throw new Error(`unknown ${CONTROL_TARGET} method ${JSON.stringify(method)}`);
      const { states, bufferPaths, buffers } = managerState();
      comm.send({ method: "update_states", states, buffer_paths: bufferPaths }, buffers);
    });
  });
}
