/** The public `tf` namespace: `import * as tf from "deepts"`, and the kernel's resident `tf`. */
export * from "./runtime/index.js";
export * from "./models/index.js";
export * as data from "./data/index.js";
