/**
 * `tfvis.visor()`: tfjs-vis's side panel. A notebook has no panel, since charts show inline in the
 * cell's output, so the visor keeps what its methods report (open, fullscreen, tabs, the active
 * tab) and hands out surfaces that name charts.
 */
import { JUPYTER_DISPLAY } from "../bundle.js";
import type { MimeBundle } from "../sink.js";
import { DEFAULT_TAB, resolveSurface, surfaceArea, surfaceTabs } from "./surfaces.js";
import type { Surface, SurfaceInfo } from "./types.js";

/** The visor; `tfvis.visor()` returns the one instance. */
export class Visor {
  private opened = true;
  private fullscreen = false;
  private keysBound = true;
  private activeTab: string | undefined;
  private readonly surfaces = new Map<string, Surface>();

  /** Stands where tfjs-vis has the visor's HTML element. */
  readonly el = surfaceArea("visor", DEFAULT_TAB);

  /**
   * A surface by name and tab (created on first use); pass it to any render or show call.
   * @example const s = tfvis.visor().surface({ name: "Loss", tab: "Training" }); tfvis.render.linechart(s, data);
   */
  surface(options: SurfaceInfo): Surface {
    const name = (options as Partial<SurfaceInfo> | null)?.name;
    if (name === undefined || name === null || !(typeof name === "string" || (name as unknown) instanceof String))
      throw new Error("You must pass a config object with a 'name' property to create or retrieve a surface");
    const { tab } = resolveSurface(options, "tfvis.visor().surface");
    const key = `${tab}\u0000${String(name)}`;
    let s = this.surfaces.get(key);
    if (!s) {
      const area = surfaceArea(String(name), tab);
      s = { name: String(name), tab, container: area, label: area, drawArea: area };
      this.surfaces.set(key, s);
    }
    return s;
  }

  /** Whether the visor is open (it opens when created, as in tfjs-vis). */
  isOpen(): boolean {
    return this.opened;
  }

  /** Whether the visor is in fullscreen mode. */
  isFullscreen(): boolean {
    return this.fullscreen;
  }

  open(): void {
    this.opened = true;
  }

  close(): void {
    this.opened = false;
  }

  toggle(): void {
    this.opened = !this.opened;
  }

  toggleFullScreen(): void {
    this.fullscreen = !this.fullscreen;
  }

  /** tfjs-vis binds the ~ key to toggle the visor; a notebook has no such key, so this only records it. */
  bindKeys(): void {
    this.keysBound = true;
  }

  unbindKeys(): void {
    this.keysBound = false;
  }

  /** Whether `bindKeys` is in effect. */
  get keysAreBound(): boolean {
    return this.keysBound;
  }

  /**
   * Makes `tabName` the active tab; it must be the tab of a surface used so far.
   * @example tfvis.visor().setActiveTab("Training");
   */
  setActiveTab(tabName: string): void {
    if (!surfaceTabs().has(tabName)) throw new Error(`Tab '${tabName}' does not exist`);
    this.activeTab = tabName;
  }

  /** The active tab (the one `setActiveTab` chose, else the first one used). */
  get currentTab(): string | undefined {
    return this.activeTab ?? surfaceTabs().values().next().value;
  }

  [JUPYTER_DISPLAY](): MimeBundle {
    const tabs = [...surfaceTabs()];
    return {
      "text/plain": `Visor (${tabs.length ? `tabs: ${tabs.join(", ")}` : "no surfaces yet"}; charts show in the cells' outputs)`,
    };
  }
}

let instance: Visor | undefined;

/**
 * The visor (one per kernel). Its surfaces name charts, which show inline in the cell's output.
 * @example tfvis.visor().surface({ name: "Predictions", tab: "Evaluation" });
 */
export function visor(): Visor {
  instance ??= new Visor();
  return instance;
}
