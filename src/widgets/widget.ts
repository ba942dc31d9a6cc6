/**
 * The widget model: a state synced with the frontend over a `jupyter.widget` comm (the Jupyter
 * widget message protocol, version 2.1), observers of its changes, and its display as a widget view.
 */
import { JUPYTER_DISPLAY } from "../display/bundle.js";
import type { MimeBundle } from "../display/sink.js";
import { type Comm, getComms } from "./comms.js";
import { putBuffers, removeBuffers, sameValue } from "./serialize.js";

/** The widget protocol version this kernel speaks (comm_open metadata `version`). */
export const PROTOCOL_VERSION = "2.1.0";
/** Mime type of a widget view in a display bundle. */
export const WIDGET_VIEW_MIME = "application/vnd.jupyter.widget-view+json";
export const WIDGET_TARGET = "jupyter.widget";
const REF_PREFIX = "IPY_MODEL_";

/** What observers receive: `name` is the option name (`value`, `continuousUpdate`, …). */
export interface ChangeEvent<T = unknown, W extends Widget = Widget> {
  name: string;
  old: T;
  new: T;
  owner: W;
  type: "change";
}

export type Observer<T = unknown, W extends Widget = Widget> = (change: ChangeEvent<T, W>) => unknown;

const instances = new Map<string, Widget>();

/** Every widget that is open now, by model id (what `request_states` answers with). */
export function liveWidgets(): ReadonlyMap<string, Widget> {
  return instances;
}

/** `continuousUpdate` → `continuous_update` (the state key of an option). */
export function stateKey(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

function optionName(key: string): string {
  return key.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
}

/** The wire form of a state value: widgets become `IPY_MODEL_<id>` references. */
function toJson(v: unknown): unknown {
  if (v instanceof Widget) return `${REF_PREFIX}${v.modelId}`;
  if (Array.isArray(v)) return v.map(toJson);
  return v;
}

function fromJson(v: unknown): unknown {
  if (typeof v === "string" && v.startsWith(REF_PREFIX)) return instances.get(v.slice(REF_PREFIX.length)) ?? v;
  if (Array.isArray(v)) return v.map(fromJson);
  return v;
}

/** Keys every model has (`_model_*`, `_view_*`), set by each class, never options. */
function isModelKey(key: string): boolean {
  return /^_(model|view)_/.test(key);
}

/**
 * Base of all widgets. Subclasses give their full default state (with `_model_name` …) and the
 * options the user passed; the widget opens its comm at once, so it exists in the frontend before
 * it is displayed.
 */
export class Widget {
  /** The model id (= comm id) the frontend knows this widget by. */
  readonly modelId: string;
  readonly comm: Comm;
  protected readonly state: Record<string, unknown>;
  private readonly observers = new Map<string, Set<Observer>>();
  private readonly customHandlers = new Set<(content: unknown, buffers: Uint8Array[]) => unknown>();
  /** State keys being applied from a frontend update, with their values (not sent back). */
  private readonly applying = new Map<string, unknown>();
  /** Promises returned by observers while a frontend message is handled. */
  private collected: Promise<unknown>[] | undefined;

  constructor(defaults: Record<string, unknown>, options: object = {}) {
    this.state = { ...defaults };
    for (const [name, value] of Object.entries(options)) {
      if (value === undefined) continue;
      const key = stateKey(name);
      if (!(key in this.state) || isModelKey(key))
        throw new TypeError(`${this.constructor.name} has no option "${name}"`);
      this.state[key] = value;
    }
    this.validateState(this.state);
    const { state, bufferPaths, buffers } = removeBuffers(this.jsonState());
    this.comm = getComms().open(
      WIDGET_TARGET,
      { state, buffer_paths: bufferPaths },
      { version: PROTOCOL_VERSION },
      buffers,
    );
    this.modelId = this.comm.id;
    instances.set(this.modelId, this);
    this.comm.onMsg((data, buffers) => this.handleMessage(data, buffers));
    this.comm.onClose(() => instances.delete(this.modelId));
  }

  /** Checks and normalises a new state before it is kept (e.g. clamps a slider's value). */
  protected validateState(_state: Record<string, unknown>): void {}

  /** The whole state in its wire form (binary values still in place). */
  jsonState(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(this.state)) out[k] = toJson(v);
    return out;
  }

  /** `_model_name`, `_model_module`, `_model_module_version` (what a saved state names the model by). */
  get modelName(): { model_name: string; model_module: string; model_module_version: string } {
    return {
      model_name: String(this.state._model_name),
      model_module: String(this.state._model_module),
      model_module_version: String(this.state._model_module_version),
    };
  }

  /** True once closed (by `close()` or the frontend). */
  get closed(): boolean {
    return this.comm.closed;
  }

  /** Reads an option by name (`get("continuousUpdate")`) or state key. */
  get(name: string): unknown {
    return this.state[name in this.state ? name : stateKey(name)];
  }

  /**
   * Sets options, sends the changed ones to the frontend in one message, and calls observers.
   * @example slider.set({ min: 0, max: 10, value: 5 });
   */
  set(options: Record<string, unknown>): void {
    const next = { ...this.state };
    const changed: string[] = [];
    for (const [name, value] of Object.entries(options)) {
      const key = name in this.state ? name : stateKey(name);
      if (!(key in this.state) || isModelKey(key))
        throw new TypeError(`${this.constructor.name} has no option "${name}"`);
      next[key] = value;
    }
    this.validateState(next);
    const old: Record<string, unknown> = {};
    for (const key of Object.keys(next)) {
      if (sameValue(next[key], this.state[key])) continue;
      old[key] = this.state[key];
      this.state[key] = next[key];
      changed.push(key);
    }
    const toSend = changed.filter(
      (k) => !(this.applying.has(k) && sameValue(this.applying.get(k), toJson(this.state[k]))),
    );
    if (toSend.length > 0) this.sendState(toSend);
    for (const key of changed) this.notify(key, old[key], this.state[key]);
  }

  /** Sends keys of the state (all when none are named) as an `update`. */
  sendState(keys: string[] = Object.keys(this.state)): void {
    if (this.comm.closed) return;
    const part: Record<string, unknown> = {};
    for (const k of keys) part[k] = toJson(this.state[k]);
    const { state, bufferPaths, buffers } = removeBuffers(part);
    this.comm.send({ method: "update", state, buffer_paths: bufferPaths }, buffers);
  }

  /** Calls observers of `key` (and of all keys). */
  protected notify(key: string, old: unknown, value: unknown): void {
    const name = optionName(key);
    const change: ChangeEvent = { name, old, new: value, owner: this, type: "change" };
    for (const set of [this.observers.get(name), this.observers.get("*")]) {
      for (const fn of set ?? []) {
        const r = fn(change);
        if (r instanceof Promise) {
          if (this.collected) this.collected.push(r);
          else r.catch((e: unknown) => console.error(`a ${this.constructor.name} observer failed:`, e));
        }
      }
    }
  }

  /**
   * Calls `fn` on every change of the named options (default `"value"`; `"*"` for all); returns a
   * function that stops it. An async `fn` keeps the kernel busy on the frontend's message until it
   * ends, so a dragged slider sends its latest value when the previous one was handled.
   * @example const stop = slider.observe(({ old, new: v }) => console.log(old, "→", v));
   */
  observe(fn: Observer<unknown, this>, names: string | string[] = "value"): () => void {
    const list = Array.isArray(names) ? names : [names];
    for (const n of list) {
      const name = n === "*" ? n : optionName(n);
      if (!this.observers.has(name)) this.observers.set(name, new Set());
      this.observers.get(name)!.add(fn as Observer);
    }
    return () => this.unobserve(fn, list);
  }

  /** Removes an observer added with `observe`. */
  unobserve(fn: Observer<unknown, this>, names: string | string[] = "value"): void {
    for (const n of Array.isArray(names) ? names : [names])
      this.observers.get(n === "*" ? n : optionName(n))?.delete(fn as Observer);
  }

  /**
   * Calls `fn` with each custom message (`{ method: "custom", content }`) from the frontend.
   * @example widget.onCustomMsg((content) => console.log(content));
   */
  onCustomMsg(fn: (content: unknown, buffers: Uint8Array[]) => unknown): () => void {
    this.customHandlers.add(fn);
    return () => this.customHandlers.delete(fn);
  }

  /** Sends a custom message to the frontend views. */
  sendCustom(content: unknown, buffers: Uint8Array[] = []): void {
    this.comm.send({ method: "custom", content }, buffers);
  }

  /** Closes the widget: its views disappear and it no longer syncs. */
  close(): void {
    instances.delete(this.modelId);
    this.comm.close();
  }

  private handleMessage(data: unknown, buffers: Uint8Array[]): void | Promise<void> {
    const msg = (data ?? {}) as {
      method?: string;
      state?: Record<string, unknown>;
      buffer_paths?: unknown;
      content?: unknown;
    };
    switch (msg.method) {
      case "update":
        return this.applyFrontendState(msg.state ?? {}, msg.buffer_paths, buffers);
      case "request_state":
        this.sendState();
        return;
      case "custom": {
        const results = [...this.customHandlers].map((fn) => fn(msg.content, buffers));
        const pending = results.filter((r): r is Promise<unknown> => r instanceof Promise);
        return pending.length > 0 ? Promise.all(pending).then(() => {}) : undefined;
      }
      default:
        throw new Error(`unknown widget message method ${JSON.stringify(msg.method)}`);
    }
  }

  private applyFrontendState(
    wire: Record<string, unknown>,
    bufferPaths: unknown,
    buffers: Uint8Array[],
  ): Promise<void> | undefined {
    putBuffers(wire, bufferPaths, buffers);
    const known = Object.fromEntries(Object.entries(wire).filter(([k]) => k in this.state && !isModelKey(k)));
    const echo = removeBuffers(known);
    if (Object.keys(known).length > 0)
      this.comm.send({ method: "echo_update", state: echo.state, buffer_paths: echo.bufferPaths }, echo.buffers);
    const collected: Promise<unknown>[] = [];
    this.collected = collected;
    for (const [k, v] of Object.entries(known)) this.applying.set(k, v);
    try {
      const values: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(known)) values[k] = fromJson(v);
      this.set(values);
    } finally {
      this.applying.clear();
      this.collected = undefined;
    }
    return collected.length > 0 ? Promise.all(collected).then(() => {}) : undefined;
  }

  /** The text shown where widgets cannot be: `IntSlider(value=3, description="n")`. */
  toString(): string {
    const shown = ["value", "description", "min", "max", "children"]
      .filter((k) => {
        const v = this.state[k];
        return k in this.state && v !== "" && !(Array.isArray(v) && v.length === 0);
      })
      .map(
        (k) =>
          `${k}=${k === "children" ? `[${(this.state[k] as unknown[]).length} widgets]` : JSON.stringify(toJson(this.state[k]))}`,
      );
    return `${this.constructor.name}(${shown.join(", ")})`;
  }

  /** A widget view where a widget manager is, its text elsewhere. */
  [JUPYTER_DISPLAY](): MimeBundle {
    return {
      "text/plain": this.toString(),
      [WIDGET_VIEW_MIME]: { version_major: 2, version_minor: 0, model_id: this.modelId },
    };
  }
}

/**
 * Defines typed accessors on a widget class for its options: `slider.value` reads the state,
 * `slider.value = 3` sets it (sends an update, calls observers).
 */
export function defineOptions(cls: { prototype: Widget }, names: readonly string[]): void {
  for (const name of names) {
    Object.defineProperty(cls.prototype, name, {
      configurable: true,
      enumerable: false,
      get(this: Widget) {
        return this.get(name);
      },
      set(this: Widget, value: unknown) {
        this.set({ [name]: value });
      },
    });
  }
}
