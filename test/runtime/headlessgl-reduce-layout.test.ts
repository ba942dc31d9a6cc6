/** The gpujs-reduce-layout comparison suite (kernels against the cpu reference) on headlessgl: see headlessgl-suite.ts. */
import { onHeadlessGl } from "./headlessgl-suite.js";

await onHeadlessGl("gpujs-reduce-layout", () => import("./gpujs-reduce-layout.test.js"));
