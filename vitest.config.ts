import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Kernel end-to-end tests spawn processes and bind ports: keep files in separate forks.
    pool: "forks",
    // An X display (Xvfb) for the headlessgl backend's tests when the machine has none.
    globalSetup: ["test/setup/x-display.ts"],
  },
});
