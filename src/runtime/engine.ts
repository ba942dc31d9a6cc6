/**
 * The engine: owns every tensor, picks the backend, runs kernels, and keeps the books.
 *
 * - Backends are registered by name with a factory and a priority; the current backend runs kernels.
 *   A kernel the current backend lacks runs on `cpu` instead (inputs read out, result written
 *   back) and is counted in `fallbacks` / `fallbackCounts`, so it is never silent.
 * - Data lives in the backend; tensors point at refcounted `DataHandle`s (a reshape is a new tensor
 *   on the same handle). Data is freed by `dispose`, by the end of a `tidy`, or when a tensor is
 *   garbage-collected (FinalizationRegistry).
 * - While a gradient tape is active (inside `tf.grads` & co.) each op is recorded with its
 *   gradient function; see tape.ts. While a trace is active each op is listed; see `trace`.
 */
import {
  sizeOf,
  typedArrayFor,
  type Backend,
  type DataArray,
  type DataId,
  type DType,
  type TensorInfo,
} from "./backend.js";
import { ALL_KERNELS, type KernelName, type KernelSpecs } from "./kernels.js";

import { checkInterrupt } from "./interrupt.js";
import { setAssignHook, setTensorOwner, Tensor, Variable, type DataHandle, type TensorOwner } from "./tensor.js";
import { VariableRegistry } from "./variable-registry.js";

export type BackendFactory = () => Backend | Promise<Backend>;

/**
 * Gradient of one op: given dy and the op's (saved) inputs and output, one gradient per input (null: none).
 * `needed[k]` says whether anything asked for input k's gradient: a gradient may skip (return null
 * for) an input nobody needs, e.g. the images of a first layer.
 */
export type GradFunc = (dy: Tensor, inputs: Tensor[], output: Tensor, needed: readonly boolean[]) => (Tensor | null)[];

/**
 * Gradient of an op with several outputs (split): given the gradient of each output (null where no
 * path reaches it) and the op's saved inputs, one gradient per input.
 */
export type MultiGradFunc = (dys: (Tensor | null)[], inputs: Tensor[], needed: readonly boolean[]) => (Tensor | null)[];

/** One recorded op on the gradient tape. */
export interface TapeNode {
  name: string;
  inputIds: number[];
  outputIds: number[];
  /** Private views of the inputs (and of the output for single-output ops), alive until the tape is dropped. */
  saved: Tensor[];
  savedOutput: Tensor | undefined;
  /** Single-output ops. */
  grad: GradFunc | undefined;
  /**
   * Whether `saved`/`savedOutput` are the tape's own views (disposed with the tape). Ops whose
   * gradient reads only shapes and dtypes (views, add, sub) save the tensors themselves instead.
   */
  ownsSaved: boolean;
  /** Ops with several outputs. */
  multiGrad: MultiGradFunc | undefined;
}

export interface TracedTensor {
  id: number;
  shape: number[];
  dtype: DType;
  /** For a variable (`tf.variable`, a layer's weights): its name, and `variable: true`. */
  name?: string;
  variable?: boolean;
}

/** One op as listed by `tf.trace`. */
export interface TraceEntry {
  /** Kernel name (`"MatMul"` is `"BatchMatMul"`, `reshape` is `"Reshape"`). */
  op: string;
  inputs: TracedTensor[];
  output: TracedTensor;
  /** Set by `tf.trace` when `sources` are given: the op lies on a path from a source to the result. */
  onGradientPath?: boolean;
  /** Allocated bytes and live tensors right after the op (for `tf.profile`). */
  numBytes: number;
  numTensors: number;
  /** `performance.now()` when the op returned. */
  time: number;
}

export interface MemoryInfo {
  numTensors: number;
  numDataBuffers: number;
  numBytes: number;
  unreliable: boolean;
  reasons?: string[];
}

export interface BackendSupport {
  backend: string;
  /** Kernels this backend runs with code of its own. */
  native: KernelName[];
  /** Kernels this backend runs as the cpu backend's loops on its own storage (no copies, no fallback). */
  cpuLoop: KernelName[];
  /** Kernels that run on `cpu` when this backend is current. */
  fallback: KernelName[];
}

interface Registration {
  factory: BackendFactory;
  priority: number;
}

interface Scope {
  name: string;
  /** Tensors made while this scope was innermost (or handed up by an inner scope). */
  tracked: Set<Tensor>;
}

const BYTES_PER: Record<DType, number> = { float32: 4, int32: 4, bool: 1 };

/**
 * The runtime's engine, as `tf.engine()` returns it: the registered backends, memory counters, the
 * variables registry, and `fallbacks` (kernels a backend ran on cpu). Example: `tf.engine().fallbacks`.
 */
export class Engine implements TensorOwner {
  private registry = new Map<string, Registration>();
  private instances = new Map<string, Backend>();
  private pending = new Map<string, Promise<Backend | undefined>>();
  private currentName: string | undefined;
  private current: Backend | undefined;

  private nextId = 0;
  private scopes: Scope[] = [];
  private finalizer = new FinalizationRegistry<{ h: DataHandle }>((ref) => this.onCollected(ref));

  /** @internal The active gradient tape, if any (the innermost one while gradients are nested). */
  tape: TapeNode[] | undefined;
  /**
   * @internal Tapes of enclosing gradient computations (outermost first). Ops are recorded on these
   * too, so an outer `tf.grad` differentiates through an inner one's forward and backward passes.
   */
  readonly outerTapes: TapeNode[][] = [];
  /** @internal Ops run while this is > 0 are not recorded on the tape. */
  tapePaused = 0;
  private traces: TraceEntry[][] = [];

  /** Live (not disposed, not collected) tensors. */
  numTensors = 0;
  numDataBuffers = 0;
  numBytes = 0;
  /** How often `recoverFromForcedStop` ran. */
  forcedStops = 0;
  /** Kernel calls so far (all backends). */
  kernelCount = 0;
  /** How many kernel calls ran on `cpu` because the current backend lacks the kernel. */
  fallbacks = 0;
  /** Fallback calls by kernel name. */
  readonly fallbackCounts: Record<string, number> = {};

  /** `tf.enableDebugMode()`: every kernel's result is read back and checked for NaN and ±Infinity. */
  debugMode = false;

  /**
   * Variables by name (trainable ones are what `variableGrads` differentiates by default), held
   * weakly so that variables the user's code no longer reaches are freed.
   */
  readonly registeredVariables = new VariableRegistry();

  // ---------------------------------------------------------------- backends

  registerBackend(name: string, factory: BackendFactory, priority = 1): boolean {
    if (this.registry.has(name)) return false;
    this.registry.set(name, { factory, priority });
    return true;
  }

  removeBackend(name: string): void {
    const inst = this.instances.get(name);
    if (inst && this.current === inst) {
      throw new Error(`removeBackend: '${name}' is the current backend; setBackend to another one first`);
    }
    inst?.dispose?.();
    this.instances.delete(name);
    this.pending.delete(name);
    this.registry.delete(name);
  }

  registeredBackends(): string[] {
    return [...this.registry.entries()].sort((a, b) => b[1].priority - a[1].priority).map(([n]) => n);
  }

  /** The instance of a registered backend, created now if its factory is synchronous (else undefined). */
  findBackend(name: string): Backend | undefined {
    const have = this.instances.get(name);
    if (have) return have;
    const reg = this.registry.get(name);
    if (!reg || this.pending.has(name)) return undefined;
    let made: Backend | Promise<Backend>;
    try {
      made = reg.factory();
    } catch (e) {
      console.warn(`deepts: backend '${name}' failed to start: ${(e as Error).message}`);
      return undefined;
    }
    if (made instanceof Promise) {
      this.pending.set(name, this.settle(name, made));
      return undefined;
    }
    this.instances.set(name, made);
    return made;
  }

  private async settle(name: string, made: Promise<Backend>): Promise<Backend | undefined> {
    try {
      const b = await made;
      this.instances.set(name, b);
      return b;
    } catch (e) {
      console.warn(`deepts: backend '${name}' failed to start: ${(e as Error).message}`);
      return undefined;
    } finally {
      this.pending.delete(name);
    }
  }

  private async initBackend(name: string): Promise<Backend | undefined> {
    const sync = this.findBackend(name);
    if (sync) return sync;
    const p = this.pending.get(name);
    return p ? await p : undefined;
  }

  /**
   * Makes `name` the current backend. Resolves `false` if it failed to start. With a synchronous
   * factory (cpu) the switch happens before this returns, so `await` is optional.
   */
  setBackend(name: string): Promise<boolean> {
    if (!this.registry.has(name)) {
      throw new Error(`setBackend: no backend named '${name}' (registered: ${this.registeredBackends().join(", ")})`);
    }
    const sync = this.findBackend(name);
    if (sync) {
      this.current = sync;
      this.currentName = name;
      return Promise.resolve(true);
    }
    return this.initBackend(name).then((b) => {
      if (!b) return false;
      this.current = b;
      this.currentName = name;
      return true;
    });
  }

  /** Waits until the best registered backend is started and current (or the current one is set). */
  async ready(): Promise<void> {
    if (this.current) return;
    for (const name of this.registeredBackends()) {
      const b = await this.initBackend(name);
      if (b) {
        if (!this.current) {
          this.current = b;
          this.currentName = name;
        }
        return;
      }
    }
    throw new Error("deepts: no backend could be started");
  }

  /** The current backend (starting the best synchronously available one on first use). */
  get backend(): Backend {
    if (this.current) return this.current;
    for (const name of this.registeredBackends()) {
      const b = this.findBackend(name);
      if (b) {
        this.current = b;
        this.currentName = name;
        return b;
      }
    }
    throw new Error("deepts: no backend is ready (await tf.ready() for an asynchronous backend)");
  }

  get backendName(): string {
    void this.backend;
    return this.currentName!;
  }

  /** Per registered backend: which kernels it runs with its own code, as cpu loops on its storage, or on cpu. */
  async backendSupport(): Promise<BackendSupport[]> {
    const out: BackendSupport[] = [];
    for (const name of this.registeredBackends()) {
      const b = await this.initBackend(name);
      if (!b) continue;
      const loops = new Set(b.cpuLoops ?? []);
      const native = ALL_KERNELS.filter((k) => typeof b.kernels[k] === "function" && !loops.has(k));
      const cpuLoop = ALL_KERNELS.filter((k) => typeof b.kernels[k] === "function" && loops.has(k));
      const fallback = ALL_KERNELS.filter((k) => typeof b.kernels[k] !== "function");
      out.push({ backend: name, native: [...native], cpuLoop: [...cpuLoop], fallback: [...fallback] });
    }
    return out;
  }

  private cpu(): Backend {
    const cpu = this.findBackend("cpu");
    if (!cpu) throw new Error("deepts: the cpu backend (needed for fallbacks) is not registered");
    return cpu;
  }

  // ---------------------------------------------------------------- tensors and data

  /**
   * An array of `length` values for a new tensor of the current backend (`makeTensor`): one the
   * backend recycles when it keeps a free list of disposed buffers (so a loop that makes a tensor
   * per step reuses one buffer instead of leaving garbage for the collector), else a fresh one.
   * Zeroed when `zeroed`; otherwise its contents are undefined and the caller writes every element.
   *
   * ```ts
   * const engine = tf.engine();
   * const data = engine.newData("float32", 4, false).fill(2);
   * const t = engine.makeTensor(data, [2, 2], "float32"); // [[2, 2], [2, 2]]
   * ```
   */
  newData(dtype: DType, length: number, zeroed: boolean): DataArray {
    const recycled = this.backend.allocData?.(dtype, length);
    if (recycled === undefined) return typedArrayFor(dtype, length);
    if (zeroed) recycled.fill(0);
    return recycled;
  }

  /** Makes a tensor from values (ownership of `values` passes to the backend). */
  makeTensor(values: DataArray, shape: number[], dtype: DType): Tensor {
    const backend = this.backend;
    this.checkBytes(sizeOf(shape) * BYTES_PER[dtype], shape, dtype);
    const id = backend.write(values, shape, dtype);
    return this.track(
      new Tensor(this.nextId++, shape, dtype, this.newHandle(backend, id, sizeOf(shape) * BYTES_PER[dtype])),
    );
  }

  /**
   * Caps the bytes of tensor data alive at once (undefined: no cap). An op or tensor that would
   * pass it throws a RangeError before allocating; `why` says who set the cap, for that message.
   */
  setMaxBytes(bytes: number | undefined, why = "tf.engine().setMaxBytes"): void {
    if (bytes !== undefined && !(bytes > 0))
      throw new RangeError(`setMaxBytes: expected a positive number of bytes, got ${bytes}`);
    this.maxBytes = bytes;
    this.maxBytesWhy = why;
  }

  private maxBytes: number | undefined;
  private maxBytesWhy = "";

  private checkBytes(bytes: number, shape: number[], dtype: DType): void {
    if (this.maxBytes === undefined || this.numBytes + bytes <= this.maxBytes) return;
    const mb = (n: number) => `${(n / 2 ** 20).toFixed(1)} MB`;
    throw new RangeError(
      `Tensor memory limit: a ${dtype} tensor of shape [${shape}] needs ${mb(bytes)}, but ${mb(this.numBytes)} of the ` +
        `${mb(this.maxBytes)} tensors may take (${this.maxBytesWhy}) are in use. Dispose tensors you no longer need ` +
        "(tf.dispose(t), or tf.tidy(() => …) around a loop): unreferenced tensors are freed only when JavaScript " +
        "collects them, which a long loop inside one cell delays.",
    );
  }

  private newHandle(backend: Backend, id: DataId, bytes: number): DataHandle {
    this.numDataBuffers++;
    this.numBytes += bytes;
    return { backend, id, refCount: 1, bytes };
  }

  private track<T extends Tensor>(t: T): T {
    this.numTensors++;
    const scope = t instanceof Variable ? undefined : this.scopes[this.scopes.length - 1];
    // A tensor the innermost tidy owns is disposed with it, or registered when it outlives it:
    // most tensors never pay for registering and unregistering.
    if (scope) scope.tracked.add(t);
    else this.register(t);
    return t;
  }

  /** Lets the garbage collector free `t`'s data once `t` is unreachable. */
  private register(t: Tensor): void {
    if (t.registered || t.disposedFlag) return;
    t.registered = true;
    this.finalizer.register(t, t.ref, t);
  }

  /** A new tensor sharing `x`'s data (reshape, identity cast, tape copies). Not recorded anywhere. */
  view(x: Tensor, shape: number[] = x.shape.slice()): Tensor {
    x.throwIfDisposed();
    x.handle.refCount++;
    return this.track(new Tensor(this.nextId++, shape, x.dtype, x.handle));
  }

  /** A view recorded as the op `name` on the tape and in traces (reshape-like ops; `grad` may read only shapes). */
  runView(name: string, x: Tensor, shape: number[], grad: GradFunc): Tensor {
    const y = this.view(x, shape);
    this.record(name, [x], y, grad, true);
    return y;
  }

  makeVariable(initial: Tensor, trainable: boolean, name: string | undefined): Variable {
    initial.throwIfDisposed();
    initial.handle.refCount++;
    const id = this.nextId++;
    const v = this.track(new Variable(initial, trainable, name ?? `variable${id}`, id));
    this.registeredVariables.set(v.name, v);
    return v;
  }

  /** Called through the assign hook (`Variable.assign`). */
  assign(v: Variable, t: Tensor): void {
    t.handle.refCount++;
    const old = v.ref.h;
    v.ref.h = t.handle;
    this.release(old);
  }

  private release(h: DataHandle): void {
    if (--h.refCount > 0) return;
    this.numDataBuffers--;
    this.numBytes -= h.bytes;
    h.backend.disposeData(h.id);
  }

  disposeTensor(t: Tensor): void {
    if (t.disposedFlag) return;
    t.disposedFlag = true;
    if (t.registered) this.finalizer.unregister(t);
    this.numTensors--;
    this.release(t.ref.h);
    if (t instanceof Variable && this.registeredVariables.get(t.name) === t) this.registeredVariables.delete(t.name);
  }

  private onCollected(ref: { h: DataHandle }): void {
    this.numTensors--;
    this.release(ref.h);
  }

  /** Moves a tensor's data to `backend` (when the user switched backends since it was made). */
  private moveTo(t: Tensor, backend: Backend): void {
    const h = t.handle;
    if (h.backend === backend) return;
    const values = h.backend.readSync(h.id).slice();
    const id = backend.write(values, t.shape, t.dtype);
    h.backend.disposeData(h.id);
    h.backend = backend;
    h.id = id;
  }

  readSync(t: Tensor): DataArray {
    return t.handle.backend.readSync(t.handle.id).slice();
  }

  async read(t: Tensor): Promise<DataArray> {
    return (await t.handle.backend.read(t.handle.id)).slice();
  }

  memory(): MemoryInfo {
    return {
      numTensors: this.numTensors,
      numDataBuffers: this.numDataBuffers,
      numBytes: this.numBytes,
      unreliable: false,
    };
  }

  // ---------------------------------------------------------------- kernels

  /**
   * Runs kernel `name` on the current backend (or on cpu when the backend lacks it) and returns the
   * output tensor. `grad` is recorded on the tape when one is active. With `kernelShapes` the kernel
   * sees its inputs and output with those shapes (same sizes: a reshape, without view ops on the tape).
   */
  runKernel<K extends KernelName>(
    name: K,
    inputs: Tensor[],
    attrs: KernelSpecs[K]["attrs"],
    out: { shape: number[]; dtype: DType },
    grad?: GradFunc,
    gradReadsShapesOnly = false,
    kernelShapes?: { inputs: number[][]; out: number[] },
  ): Tensor {
    // Long loops of small ops stay interruptible: look for a pending interrupt every few kernels.
    if ((++this.kernelCount & 31) === 0) checkInterrupt();
    const backend = this.backend;
    for (const t of inputs) {
      t.throwIfDisposed();
      this.moveTo(t, backend);
    }
    const bytes = sizeOf(out.shape) * BYTES_PER[out.dtype];
    this.checkBytes(bytes, out.shape, out.dtype);
    const infos = inputs.map((t, i) => ({
      dataId: t.dataId,
      shape: kernelShapes ? kernelShapes.inputs[i] : t.shape,
      dtype: t.dtype,
    }));
    const kernelOut = kernelShapes ? { shape: kernelShapes.out, dtype: out.dtype } : out;
    let id: DataId;
    const kernel = backend.kernels[name] as ((args: unknown) => DataId) | undefined;
    try {
      id = kernel
        ? kernel({ inputs: infos, attrs, out: kernelOut })
        : this.runOnCpu(name, backend, infos, attrs, kernelOut);
    } catch (e) {
      // A native kernel that stopped early for an interrupt: throw the host's interrupt error.
      if ((e as { code?: unknown } | null)?.code === "DEEPTS_INTERRUPTED") checkInterrupt();
      throw e;
    }
    const y = this.track(new Tensor(this.nextId++, out.shape, out.dtype, this.newHandle(backend, id, bytes)));
    this.record(name, inputs, y, grad, gradReadsShapesOnly);
    if (this.debugMode) this.warnIfNotFinite(name, y);
    return y;
  }

  private runOnCpu(
    name: KernelName,
    backend: Backend,
    inputs: TensorInfo[],
    attrs: unknown,
    out: { shape: number[]; dtype: DType },
  ): DataId {
    const cpu = this.cpu();
    const kernel = cpu.kernels[name] as ((args: unknown) => DataId) | undefined;
    if (!kernel) throw new Error(`deepts: no backend implements the kernel '${name}'`);
    this.fallbacks++;
    this.fallbackCounts[name] = (this.fallbackCounts[name] ?? 0) + 1;
    const temps: DataId[] = [];
    const infos = inputs.map((t) => {
      const id = cpu.write(backend.readSync(t.dataId).slice(), t.shape, t.dtype);
      temps.push(id);
      return { dataId: id, shape: t.shape, dtype: t.dtype };
    });
    const outId = kernel({ inputs: infos, attrs, out });
    const values = cpu.readSync(outId).slice();
    cpu.disposeData(outId);
    for (const id of temps) cpu.disposeData(id);
    return backend.write(values, out.shape, out.dtype);
  }

  private warnIfNotFinite(kernel: string, y: Tensor): void {
    if (y.dtype !== "float32") return;
    const values = this.readSync(y);
    for (let i = 0; i < values.length; i++) {
      if (!Number.isFinite(values[i])) {
        console.warn(`deepts debug mode: found ${values[i]} in the result of '${kernel}' (shape [${y.shape}])`);
        return;
      }
    }
  }

  /**
   * Lists the op on active traces and, with a gradient, on the active tape. With
   * `gradReadsShapesOnly` the tape keeps the tensors themselves (their shapes outlive a dispose)
   * instead of views that hold their data.
   */
  record(name: string, inputs: Tensor[], y: Tensor, grad?: GradFunc, gradReadsShapesOnly = false): void {
    if (this.traces.length > 0) {
      const info = (t: Tensor): TracedTensor => ({
        id: t.id,
        shape: t.shape.slice(),
        dtype: t.dtype,
        ...(t instanceof Variable ? { name: t.name, variable: true } : {}),
      });
      const entry: TraceEntry = {
        op: name,
        inputs: inputs.map(info),
        output: info(y),
        numBytes: this.numBytes,
        numTensors: this.numTensors,
        time: performance.now(),
      };
      for (const tr of this.traces) tr.push(entry);
    }
    if (this.tape && grad && this.tapePaused === 0) {
      this.tapePaused++;
      try {
        const node: TapeNode = {
          name,
          inputIds: inputs.map((t) => t.id),
          outputIds: [y.id],
          saved: gradReadsShapesOnly ? inputs.slice() : inputs.map((t) => this.untrackedView(t)),
          savedOutput: gradReadsShapesOnly ? y : this.untrackedView(y),
          grad,
          multiGrad: undefined,
          ownsSaved: !gradReadsShapesOnly,
        };
        this.tape.push(node);
        for (const outer of this.outerTapes) outer.push(node);
      } finally {
        this.tapePaused--;
      }
    }
  }

  /**
   * Records an op with several outputs on the active tape (only there: its pieces were listed on
   * traces by the kernels that made them). Its gradient gets one gradient per output.
   */
  recordMulti(name: string, inputs: Tensor[], outputs: Tensor[], grad: MultiGradFunc): void {
    if (!this.tape || this.tapePaused !== 0) return;
    const node: TapeNode = {
      name,
      inputIds: inputs.map((t) => t.id),
      outputIds: outputs.map((t) => t.id),
      saved: inputs.map((t) => this.untrackedView(t)),
      savedOutput: undefined,
      grad: undefined,
      multiGrad: grad,
      ownsSaved: true,
    };
    this.tape.push(node);
    for (const outer of this.outerTapes) outer.push(node);
  }

  /**
   * A view no tidy scope owns (tape copies). The tape always disposes these when it is dropped, so
   * they skip the FinalizationRegistry (registering costs more than most small kernels). It keeps
   * `x`'s id: a gradient function computes with these copies, and an enclosing tape that records
   * that computation must see it depend on `x` itself.
   */
  private untrackedView(x: Tensor): Tensor {
    x.handle.refCount++;
    const t = new Tensor(x.id, x.shape, x.dtype, x.handle);
    this.numTensors++;
    return t;
  }

  // ---------------------------------------------------------------- scopes

  /** Runs `fn`, then disposes every tensor it made except those it returns (and kept ones). */
  tidy<T>(nameOrFn: string | (() => T), maybeFn?: () => T): T {
    const fn = typeof nameOrFn === "function" ? nameOrFn : maybeFn;
    const name = typeof nameOrFn === "string" ? nameOrFn : "tidy";
    if (typeof fn !== "function") throw new Error("tidy: expected a function");
    this.startScope(name);
    let result: T;
    try {
      result = fn();
      if (result instanceof Promise)
        throw new Error("tidy: the function returned a Promise; tidy takes synchronous functions only");
    } catch (e) {
      this.endScope();
      throw e;
    }
    this.endScope(result);
    return result;
  }

  /**
   * Opens a scope as `tidy` does, by hand (TF.js's `tf.engine().startScope()`): the tensors made
   * until the matching `endScope` are disposed there. Example:
   * ```ts
   * tf.engine().startScope();
   * const y = tf.ones([2]).add(1);
   * tf.engine().endScope(y); // disposes the ones, keeps y
   * ```
   */
  startScope(name = "scope"): void {
    this.scopes.push({ name, tracked: new Set() });
  }

  /** Closes the innermost scope: disposes what it made but the tensors in `result`, which move to the enclosing scope. */
  endScope(result?: unknown): void {
    const scope = this.scopes.pop();
    if (!scope) throw new Error("endScope: no scope is open (tf.engine().startScope() opens one)");
    const keep = new Set<Tensor>();
    collectTensors(result, keep);
    this.disposeScope(scope, keep);
    const parent = this.scopes[this.scopes.length - 1];
    // Results made inside this scope now belong to the enclosing one (tensors from outside stay unowned).
    for (const t of keep) {
      if (!scope.tracked.has(t) || t.disposedFlag) continue;
      if (parent) parent.tracked.add(t);
      else this.register(t);
    }
  }

  /** Disposes what `scope` owns but `keep` and kept tensors; those that live on become collectable. */
  private disposeScope(scope: Scope, keep: Set<Tensor>): void {
    for (const t of scope.tracked) {
      if (!keep.has(t) && !t.kept) t.dispose();
      else if (t.kept) this.register(t);
    }
  }

  /**
   * Puts the engine back in order after its host stopped JavaScript in the middle of an operation,
   * so that no `finally` block ran (the Jupyter kernel does this to a cell that ignores an
   * interrupt): open `tidy` scopes close, their tensors becoming ordinary ones that the garbage
   * collector frees once unreachable; the gradient tape and traces in progress are dropped.
   * `forcedStops` counts the calls, so that state guarded by a flag (a model's "fit is running")
   * can tell that the operation which set it is gone.
   */
  recoverFromForcedStop(): void {
    this.forcedStops++;
    for (const scope of this.scopes.splice(0)) for (const t of scope.tracked) this.register(t);
    this.tape = undefined;
    this.tapePaused = 0;
    this.traces = [];
  }

  /** Marks `t` so that no `tidy` disposes it. */
  keep<T extends Tensor>(t: T): T {
    t.kept = true;
    return t;
  }

  // ---------------------------------------------------------------- tracing

  /** @internal */
  startTrace(): TraceEntry[] {
    const list: TraceEntry[] = [];
    this.traces.push(list);
    return list;
  }

  /** @internal */
  endTrace(list: TraceEntry[]): void {
    const i = this.traces.lastIndexOf(list);
    if (i >= 0) this.traces.splice(i, 1);
  }
}

/**
 * Adds every tensor found in arrays, plain objects and Maps inside `value` to `out`. An array's
 * named properties count too (`const grads = []; grads[name] = t` is a TF.js idiom).
 */
export function collectTensors(value: unknown, out: Set<Tensor>, seen = new Set<unknown>()): void {
  if (value instanceof Tensor) {
    out.add(value);
    return;
  }
  if (value === null || typeof value !== "object" || seen.has(value)) return;
  seen.add(value);
  if (Array.isArray(value)) for (const v of Object.values(value)) collectTensors(v, out, seen);
  else if (value instanceof Map) for (const v of value.values()) collectTensors(v, out, seen);
  else if (Object.getPrototypeOf(value) === Object.prototype)
    for (const v of Object.values(value)) collectTensors(v, out, seen);
}

let theEngine: Engine | undefined;

/** The single engine (`tf.engine()`). */
export function getEngine(): Engine {
  if (!theEngine) {
    theEngine = new Engine();
    const e = theEngine;
    setTensorOwner(e);
    setAssignHook((v, t) => e.assign(v, t));
  }
  return theEngine;
}
