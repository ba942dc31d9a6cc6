/** The gpujs-elementwise comparison suite (kernels against the cpu reference) on headlessgl: see headlessgl-suite.ts. */
import { onHeadlessGl } from "./headlessgl-suite.js";

await onHeadlessGl("gpujs-elementwise", () => import("./gpujs-elementwise.test.js"));
