import { defineConfig } from "vitest/config";

// `npm run soak`: the long runs (soak, many students on a hub), apart from `npm test`.
export default defineConfig({
  test: {
    include: ["test/soak/**/*.soak.ts", "test/hub/**/*.soak.ts", "test/container/**/*.soak.ts"],
    testTimeout: 3_600_000,
    hookTimeout: 600_000,
    pool: "forks",
    // One file at a time: each measures a machine the others would otherwise load.
    fileParallelism: false,
  },
});
