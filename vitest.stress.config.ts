import { defineConfig } from "vitest/config";

/** `npm run stress`: the long and heavy hostile tests (DEEPTS_STRESS_SCALE scales their counts). */
export default defineConfig({
  test: {
    include: ["test/stress/**/*.test.ts"],
    testTimeout: 600_000,
    hookTimeout: 180_000,
    pool: "forks",
    // One file at a time: each starts kernels and floods them.
    fileParallelism: false,
  },
});
