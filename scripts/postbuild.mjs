// After `tsc`: the compiled CLI gets its run bit, so `npx deepts …` works in a fresh clone
// (tsc writes files without it, and npm only sets it when it links an installed package's bins).
import { chmodSync, readFileSync, statSync } from "node:fs";

const cli = new URL("../dist/cli/main.js", import.meta.url);
if (!readFileSync(cli, "utf8").startsWith("#!/usr/bin/env node"))
  throw new Error("dist/cli/main.js lost its #!/usr/bin/env node line");
chmodSync(cli, statSync(cli).mode | 0o111);
