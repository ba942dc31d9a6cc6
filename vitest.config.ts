import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The long and heavy ones run with `npm run stress` (vitest.stress.config.ts).
    exclude: ["test/stress/**", "**/node_modules/**"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Kernel end-to-end tests spawn processes and bind ports: keep files in separate forks.
    pool: "forks",
    // An X display (Xvfb) for the headlessgl backend's tests when the machine has none.
    globalSetup: ["test/setup/x-display.ts"],
  },
});
