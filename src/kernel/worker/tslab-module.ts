/**
 * What `import ... from "tslab"` gives a cell in deepts: the display module's tslab-compatible
 * object, so notebooks written for tslab run unchanged (see `tslab-hooks.ts`).
 */
import { tslab } from "../../display/index.js";

export const display = tslab.display;
export const newDisplay = tslab.newDisplay;
export const versions = tslab.versions;
export default tslab;
