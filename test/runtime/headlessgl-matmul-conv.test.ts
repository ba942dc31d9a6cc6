/** The gpujs-matmul-conv comparison suite (kernels against the cpu reference) on headlessgl: see headlessgl-suite.ts. */
import { onHeadlessGl } from "./headlessgl-suite.js";

await onHeadlessGl("gpujs-matmul-conv", () => import("./gpujs-matmul-conv.test.js"));
