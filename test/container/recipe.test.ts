/**
 * The container recipe (Dockerfile, binder/) is checked without a Docker engine: the Dockerfile's
 * instructions and files, its RUN steps and binder/postBuild through shellcheck, binder/apt.txt's
 * names against Debian's package lists. `npm run soak` runs binder/postBuild itself (test/container/
 * postbuild.soak.ts).
 */
import { spawnSync } from "node:child_process";
import { accessSync, constants, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { repoRoot } from "../kernel/client.js";
import { KEYWORDS, parseDockerfile } from "./recipe.js";

const dockerfile = parseDockerfile(join(repoRoot, "Dockerfile"));
const shellcheck = spawnSync("shellcheck", ["--version"]).status === 0;

describe("Dockerfile", () => {
  test("every instruction is a Dockerfile instruction; the base image is pinned", () => {
    for (const i of dockerfile) expect(KEYWORDS.has(i.keyword), `line ${i.line}: ${i.keyword}`).toBe(true);
    expect(dockerfile[0]!.keyword).toBe("FROM");
    expect(dockerfile[0]!.args).toMatch(/^[\w./-]+:[\w.-]+$/);
    expect(dockerfile[0]!.args).not.toMatch(/:latest$/);
  });

  test("what it copies and runs from the repository is there (and executable)", () => {
    for (const i of dockerfile.filter((d) => d.keyword === "COPY" || d.keyword === "ADD")) {
      const sources = i.args
        .split(/\s+/)
        .filter((a) => !a.startsWith("--"))
        .slice(0, -1);
      for (const s of sources) expect(existsSync(join(repoRoot, s)), `line ${i.line}: ${s}`).toBe(true);
    }
    const scripts = dockerfile.filter((d) => d.keyword === "RUN").flatMap((d) => d.args.match(/\bbinder\/\S+/g) ?? []);
    expect(scripts).toContain("binder/postBuild");
    for (const s of scripts) accessSync(join(repoRoot, s), constants.X_OK);
  });

  test("apt steps install no recommends and clean their lists; the image ends as a user, not root; CMD is exec form", () => {
    for (const run of dockerfile.filter((d) => d.keyword === "RUN" && /apt-get install/.test(d.args))) {
      expect(run.args).toMatch(/apt-get update/);
      expect(run.args).toMatch(/--no-install-recommends/);
      expect(run.args).toMatch(/rm -rf \/var\/lib\/apt\/lists/);
    }
    const users = dockerfile.filter((d) => d.keyword === "USER");
    expect(users.at(-1)?.args).not.toMatch(/^(root|0)$/);
    const cmd = dockerfile.filter((d) => d.keyword === "CMD").at(-1)!;
    expect(JSON.parse(cmd.args)).toEqual(expect.arrayContaining(["jupyter", "lab"]));
  });

  test.skipIf(!shellcheck && !process.env.CI)("its RUN steps pass shellcheck (with its ARG and ENV names set)", () => {
    const names = dockerfile
      .filter((d) => d.keyword === "ARG" || d.keyword === "ENV")
      .map((d) => d.args.split(/[=\s]/)[0]!);
    const script = [
      "#!/bin/sh",
      "set -e",
      ...names.map((n) => `${n}="\${${n}:-}"; export ${n}`),
      ...dockerfile.filter((d) => d.keyword === "RUN").map((d) => d.args),
    ].join("\n");
    const file = join(mkdtempSync(join(tmpdir(), "deepts-dockerfile-")), "run-steps.sh");
    writeFileSync(file, `${script}\n`);
    const r = spawnSync("shellcheck", ["--shell=sh", file], { encoding: "utf8" });
    expect(r.stdout + r.stderr).toBe("");
    expect(r.status).toBe(0);
  });
});

describe("binder/", () => {
  test.skipIf(!shellcheck && !process.env.CI)("postBuild passes shellcheck", () => {
    const r = spawnSync("shellcheck", [join(repoRoot, "binder/postBuild")], { encoding: "utf8" });
    expect(r.stdout + r.stderr).toBe("");
    expect(r.status).toBe(0);
  });

  test("apt.txt names Debian packages that exist", () => {
    const names = readFileSync(join(repoRoot, "binder/apt.txt"), "utf8")
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith("#"));
    expect(names).toEqual(expect.arrayContaining(["g++", "libopenblas-dev"]));
    for (const name of names) {
      const r = spawnSync("apt-cache", ["show", "--no-all-versions", name], { encoding: "utf8" });
      expect(r.status, `${name}: ${r.stderr}`).toBe(0);
    }
  });

  test("environment.yml brings Node.js ≥ 20 and Jupyter for postBuild", () => {
    const yml = readFileSync(join(repoRoot, "binder/environment.yml"), "utf8");
    expect(yml).toMatch(/^\s*- nodejs>=20/m);
    expect(yml).toMatch(/^\s*- jupyterlab/m);
    expect(yml).toMatch(/^\s*- ipywidgets/m);
  });
});
