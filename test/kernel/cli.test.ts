/** `deepts install/uninstall` as a user runs them (needs `dist/` built). */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { kernelMain } from "./client.js";

const deepts = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  spawnSync(process.execPath, [kernelMain, ...args], { encoding: "utf8", env: { ...process.env, ...env } });

describe("deepts CLI", () => {
  test("install --prefix writes kernel.json with absolute node and main.js, and both logos; uninstall removes them", () => {
    const prefix = mkdtempSync(join(tmpdir(), "deepts-prefix-"));
    const r = deepts(["install", "--prefix", prefix]);
    expect(r.status, r.stderr).toBe(0);
    const dir = join(prefix, "share/jupyter/kernels/deepts");
    expect(r.stdout).toContain(dir);
    const spec = JSON.parse(readFileSync(join(dir, "kernel.json"), "utf8"));
    expect(spec.argv).toEqual([process.execPath, kernelMain, "kernel", "{connection_file}"]);
    expect(spec).toMatchObject({
      display_name: "TypeScript (deepts)",
      language: "typescript",
      interrupt_mode: "signal",
    });
    for (const logo of ["logo-32x32.png", "logo-64x64.png"]) {
      expect(readFileSync(join(dir, logo)).subarray(1, 4).toString()).toBe("PNG");
    }
    const u = deepts(["uninstall", "--prefix", prefix]);
    expect(u.status).toBe(0);
    expect(existsSync(dir)).toBe(false);
    expect(deepts(["uninstall", "--prefix", prefix]).stdout).toMatch(/not installed/);
  });

  test("default is --user (honours JUPYTER_DATA_DIR) and --name picks the folder", () => {
    const data = mkdtempSync(join(tmpdir(), "deepts-data-"));
    expect(deepts(["install"], { JUPYTER_DATA_DIR: data }).status).toBe(0);
    expect(existsSync(join(data, "kernels/deepts/kernel.json"))).toBe(true);
    expect(deepts(["install", "--user", "--name", "deepts-dev"], { JUPYTER_DATA_DIR: data }).status).toBe(0);
    expect(existsSync(join(data, "kernels/deepts-dev/kernel.json"))).toBe(true);
  });

  test("jupyter itself finds the installed kernelspec", () => {
    const data = mkdtempSync(join(tmpdir(), "deepts-data-"));
    deepts(["install", "--prefix", data]);
    const out = execFileSync(
      "/usr/bin/python3",
      [
        "-c",
        "from jupyter_client.kernelspec import KernelSpecManager as K; s=K().get_kernel_spec('deepts'); print(s.display_name, s.language, s.interrupt_mode)",
      ],
      {
        encoding: "utf8",
        env: { ...process.env, JUPYTER_PATH: join(data, "share/jupyter") },
      },
    );
    expect(out.trim()).toBe("TypeScript (deepts) typescript signal");
  });

  test("install --env puts a teacher's limits in the kernelspec's env", () => {
    const prefix = mkdtempSync(join(tmpdir(), "deepts-prefix-"));
    const r = deepts([
      "install",
      "--prefix",
      prefix,
      "--env",
      "DEEPTS_CELL_TIMEOUT=300",
      "--env",
      "DEEPTS_TENSOR_MB=1024",
    ]);
    expect(r.status, r.stderr).toBe(0);
    const spec = JSON.parse(readFileSync(join(prefix, "share/jupyter/kernels/deepts/kernel.json"), "utf8"));
    expect(spec.env).toEqual({ DEEPTS_CELL_TIMEOUT: "300", DEEPTS_TENSOR_MB: "1024" });
    const bad = deepts(["install", "--prefix", prefix, "--env", "NOEQUALS"]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--env needs NAME=VALUE, got "NOEQUALS"/);
  });

  test("bad usage gives a clear message and exit code 2", () => {
    const r = deepts(["install", "--prefix"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--prefix needs a value/);
    expect(deepts(["install", "--user", "--prefix", "/x"]).stderr).toMatch(/choose one of/);
    expect(deepts(["install", "--name", "bad name"]).stderr).toMatch(/Invalid kernel name/);
    expect(deepts(["frob"]).stderr).toMatch(/unknown command "frob"/);
    expect(deepts(["kernel"]).stderr).toMatch(/connection file/);
    expect(deepts(["kernel", "/nonexistent.json"]).stderr).toMatch(/Cannot read connection file/);
    expect(deepts(["--help"]).stdout).toMatch(/Usage: deepts/);
  });
});
