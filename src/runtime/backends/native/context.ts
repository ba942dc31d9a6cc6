/**
 * What the native backend's kernels share, and the two shapes a native kernel comes in: one that
 * always runs in the addon, and one that declines (returns undefined) inputs the addon does not
 * take, so that the table (kernels.ts) runs the cpu loop on the same storage instead.
 */
import type { KernelMaker, KernelTable } from "../../backend.js";
import type { KernelName } from "../../kernels.js";
import type { DecliningKernel as SharedDecliningKernel } from "../cpu-loops.js";
import type { NativeAddon } from "./addon.js";
import type { PooledStore } from "./pool.js";

export interface NativeContext {
  readonly store: PooledStore;
  readonly addon: NativeAddon;
  /** The cpu backend's kernels on `store`: the loops for what the addon does not take (no copies). */
  readonly cpu: KernelTable;
}

/** A native kernel that always runs in the addon. */
export type NativeKernel<K extends KernelName> = KernelMaker<K, NativeContext>;

/** A native kernel that returns undefined for inputs the addon does not take (a dtype, too many axes). */
export type DecliningKernel<K extends KernelName> = SharedDecliningKernel<K, NativeContext>;
