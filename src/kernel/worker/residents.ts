/**
 * The display globals every cell sees without import (besides `tf`, `input` and `prompt`), each
 * typed from `dist/display/index.d.ts` so the checker and completion know them; and `check`, the
 * tutorial notebooks' exercise helper from `dist/teach`.
 */
import type { ResidentGlobal } from "../../eval/api.js";
import * as displayModule from "../../display/index.js";
import * as tfvisModule from "../../display/tfvis/index.js";
import { comms } from "../../widgets/comms.js";
import * as widgetsModule from "../../widgets/index.js";

/** Resident name → export of the display module it is. */
const DISPLAY_RESIDENTS = {
  display: "display",
  plot: "plot",
  tslab: "tslab",
  clearOutput: "clearOutput",
  clear_output: "clear_output",
  TrainingPanel: "TrainingPanel",
  trainingPanel: "trainingPanel",
  LiveOutput: "LiveOutput",
  Figure: "Figure",
} as const satisfies Record<string, keyof typeof displayModule>;

/**
 * The display module's residents; `displayTypes` is the absolute path of its `index.d.ts`.
 * @example residents.push(...displayResidents("/abs/dist/display/index.d.ts"));
 */
export function displayResidents(displayTypes: string): ResidentGlobal[] {
  return Object.entries(DISPLAY_RESIDENTS).map(([name, member]) => ({
    name,
    value: displayModule[member],
    typesFrom: `${displayTypes}#${member}`,
  }));
}

/**
 * `tfvis` (tfjs-vis's API, the whole module so `tfvis.Point2D` is a type too), which
 * `import * as tfvis from "@tensorflow/tfjs-vis"` also gives; `tfvisTypes` is the absolute path of
 * `dist/display/tfvis/index.d.ts`.
 * @example residents.push(tfvisResident("/abs/dist/display/tfvis/index.d.ts"));
 */
export function tfvisResident(tfvisTypes: string): ResidentGlobal {
  return { name: "tfvis", value: tfvisModule, typesFrom: tfvisTypes, moduleNames: ["@tensorflow/tfjs-vis"] };
}

/**
 * `check` from the teach module (loaded by the worker after `tf`, which it uses); `teachTypes` is
 * the absolute path of its `index.d.ts`.
 * @example residents.push(teachResident(await import("../../teach/index.js"), "/abs/dist/teach/index.d.ts"));
 */
export function teachResident(teach: { check: unknown }, teachTypes: string): ResidentGlobal {
  return { name: "check", value: teach.check, typesFrom: `${teachTypes}#check` };
}

/**
 * `widgets` (the whole widgets module, so `widgets.IntSlider` is a type too) and `comms`;
 * `widgetTypes` is the absolute path of `dist/widgets/index.d.ts`.
 */
export function widgetResidents(widgetTypes: string): ResidentGlobal[] {
  return [
    { name: "widgets", value: widgetsModule, typesFrom: widgetTypes },
    { name: "comms", value: comms, typesFrom: `${widgetTypes.replace(/index\.d\.ts$/, "comms.d.ts")}#comms` },
  ];
}
