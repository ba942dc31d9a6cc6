/**
 * Collects garbage once the evaluation thread goes idle after a request that grew its heap.
 *
 * Tensors, models and chart outputs of earlier cells that no code reaches any more are freed only
 * when V8 collects them (the engine frees a tensor's data from a FinalizationRegistry). V8 collects
 * when its heap grows, not when the kernel sits idle, so a student re-running cells would see the
 * kernel grow by hundreds of megabytes before a collection happens. Between cells the thread has
 * nothing to do: a full collection there costs the user nothing and keeps the kernel's size flat.
 * Cells sent back to back (Run All, a script) leave no idle time, so a request that ends with the
 * heap grown by `busyGrowthBytes` collects at once. One timer per request, none while idle.
 * Growth counts the JavaScript heap and the tensor bytes the engine tracks (`trackedBytes`): tensor
 * data lives outside V8's heap (typed arrays' stores, the native backend's buffers), so a cell that
 * only made tensors grows the heap by a few objects while holding megabytes.
 */
import { getHeapStatistics, setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

export interface IdleCollectorOptions {
  /** How long the thread must stay idle before collecting (ms). */
  delayMs?: number;
  /** Collect when idle only if the heap grew by at least this much since the last collection (bytes). */
  minGrowthBytes?: number;
  /** Collect at the end of a request, idle or not, when the heap grew by this much (bytes). */
  busyGrowthBytes?: number;
  /** Bytes held outside V8's heap that a collection may free (the engine's tensor bytes). */
  trackedBytes?: () => number;
}

/** V8's `gc()`, without starting the process with `--expose-gc` (and without leaving it exposed). */
function collector(): (() => void) | undefined {
  try {
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    setFlagsFromString("--no-expose-gc");
    return typeof gc === "function" ? gc : undefined;
  } catch {
    return undefined;
  }
}

export class IdleCollector {
  private readonly gc = collector();
  private timer: NodeJS.Timeout | undefined;
  private sizeAfterLast: number;
  private readonly delayMs: number;
  private readonly minGrowthBytes: number;
  private readonly busyGrowthBytes: number;
  private readonly trackedBytes: () => number;
  /** Collections done so far (for tests and diagnostics). */
  collections = 0;

  constructor(options: IdleCollectorOptions = {}) {
    this.delayMs = options.delayMs ?? 250;
    this.minGrowthBytes = options.minGrowthBytes ?? 4 * 2 ** 20;
    this.busyGrowthBytes = options.busyGrowthBytes ?? 32 * 2 ** 20;
    this.trackedBytes = options.trackedBytes ?? (() => 0);
    this.sizeAfterLast = this.size();
  }

  /** The heap in use plus the tracked bytes outside it. */
  private size(): number {
    let tracked = 0;
    try {
      tracked = this.trackedBytes();
    } catch {
      // the runtime may be unloaded or broken: count the heap only
    }
    return getHeapStatistics().used_heap_size + (Number.isFinite(tracked) ? tracked : 0);
  }

  /** A request started: no collection while it runs. */
  busy(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** A request ended: collect now if the heap grew a lot, whether or not more requests wait. */
  ended(): void {
    if (this.gc) this.collectIfGrown(this.busyGrowthBytes);
  }

  /** The thread went idle: collect after `delayMs` unless another request comes first. */
  idle(): void {
    if (!this.gc) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.collectIfGrown(this.minGrowthBytes);
    }, this.delayMs);
    this.timer.unref();
  }

  private collectIfGrown(minGrowth: number): void {
    if (this.size() - this.sizeAfterLast < minGrowth) return;
    this.gc!();
    this.collections++;
    // Tensor data is freed by FinalizationRegistry callbacks after the collection: the tracked bytes
    // read now still include it, so the baseline is taken once those callbacks have run.
    this.sizeAfterLast = this.size();
    setTimeout(() => {
      this.sizeAfterLast = Math.min(this.sizeAfterLast, this.size());
    }, 20).unref();
  }
}
