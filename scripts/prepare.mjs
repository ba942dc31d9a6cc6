// `npm install`'s prepare step: builds dist/ unless it is already newer than every source file.
// `npx deepts …` in a clone installs the clone into npm's npx cache, which runs prepare again; with
// this check that costs a moment instead of a full TypeScript build.
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith(".ts")) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function builtAt() {
  try {
    return statSync(join(root, "dist/cli/main.js")).mtimeMs;
  } catch {
    return -1;
  }
}

const sources = Math.max(newestSource(join(root, "src")), statSync(join(root, "tsconfig.json")).mtimeMs);
if (builtAt() < sources) {
  const build = spawnSync("npm", ["run", "build", "--silent"], { cwd: root, stdio: "inherit" });
  process.exit(build.status ?? 1);
}
