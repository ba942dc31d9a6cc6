/**
 * The container recipe's install steps for real: binder/postBuild (what the Dockerfile and Binder run)
 * on a copy of this checkout, into a fresh prefix, with a teacher's limit; then the kernel it installed
 * runs a cell. No Docker engine is needed: this is the part of the image build that is deepts's own.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { expect, test } from "vitest";
import { repoRoot, TestKernel } from "../kernel/client.js";

test("binder/postBuild installs deepts from a checkout and registers a working kernel with the teacher's limits", async () => {
  const work = mkdtempSync(join(tmpdir(), "deepts-postbuild-"));
  const checkout = join(work, "deepts");
  const files = execFileSync("git", ["ls-files", "-co", "--exclude-standard", "-z"], {
    cwd: repoRoot,
    encoding: "utf8",
  })
    .split("\0")
    .filter(Boolean);
  for (const f of files) {
    mkdirSync(dirname(join(checkout, f)), { recursive: true });
    cpSync(join(repoRoot, f), join(checkout, f));
  }
  const prefix = join(work, "prefix");
  const nodePrefix = dirname(dirname(process.execPath));
  const r = spawnSync("bash", [join(checkout, "binder/postBuild")], {
    encoding: "utf8",
    env: {
      ...process.env,
      DEEPTS_KERNEL_PREFIX: prefix,
      DEEPTS_KERNEL_ENV: "DEEPTS_CELL_TIMEOUT=120 DEEPTS_THREADS=1",
      npm_config_nodedir: nodePrefix,
    },
    timeout: 900_000,
  });
  expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
  const spec = JSON.parse(readFileSync(join(prefix, "share/jupyter/kernels/deepts/kernel.json"), "utf8")) as {
    argv: string[];
    env: Record<string, string>;
  };
  expect(spec.env).toEqual({ DEEPTS_CELL_TIMEOUT: "120", DEEPTS_THREADS: "1" });
  expect(spec.argv[1]).toBe(join(checkout, "dist/cli/main.js"));
  const kernel = await TestKernel.start({
    argv: spec.argv.map((a) => (a === "{connection_file}" ? "{cf}" : a)),
    env: spec.env,
  });
  try {
    const { reply, outputs } = await kernel.execute("tf.tensor([1, 2, 3]).sum().dataSync()[0]", {}, 120_000);
    expect(reply.content.status).toBe("ok");
    expect(outputs.find((m) => m.header.msg_type === "execute_result")?.content.data).toMatchObject({
      "text/plain": "6",
    });
  } finally {
    await kernel.shutdown();
    rmSync(work, { recursive: true, force: true });
  }
}, 1_200_000);
