#!/usr/bin/env node
/** The `deepts` command: install/uninstall the Jupyter kernelspec and run the kernel. */
import type { InstallOptions } from "./kernelspec.js";

const USAGE = `Usage: deepts <command> [options]

Commands:
  install [--user | --sys-prefix | --prefix DIR] [--name NAME] [--display-name TEXT] [--env NAME=VALUE]...
                            install the "TypeScript (deepts)" Jupyter kernel (default: --user);
                            --env puts a variable in the kernelspec, e.g. a teacher's limit
                            (DEEPTS_MEMORY_MB, DEEPTS_TENSOR_MB, DEEPTS_THREADS, DEEPTS_CELL_TIMEOUT)
  uninstall [--user | --sys-prefix | --prefix DIR] [--name NAME]
                            remove it
  run NOTEBOOK.ipynb... [--out DIR] [--html] [--timeout SECONDS]
                            execute notebooks on a fresh deepts kernel each (no Jupyter needed) and
                            write them, with outputs, to DIR (default ./out); --html adds a
                            self-contained page per notebook; --timeout limits each cell
  kernel <connection_file>  run the kernel (Jupyter starts this for you)
  --help, --version
`;

class UsageError extends Error {}

function parseInstallArgs(args: string[]): InstallOptions {
  const options: InstallOptions = { target: { kind: "user" } };
  let targets = 0;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const value = (): string => {
      const v = args[++i];
      if (v === undefined || v.startsWith("--")) throw new UsageError(`${arg} needs a value`);
      return v;
    };
    switch (arg) {
      case "--user":
        options.target = { kind: "user" };
        targets++;
        break;
      case "--sys-prefix":
        options.target = { kind: "sys-prefix" };
        targets++;
        break;
      case "--prefix":
        options.target = { kind: "prefix", dir: value() };
        targets++;
        break;
      case "--name":
        options.name = value();
        break;
      case "--display-name":
        options.displayName = value();
        break;
      case "--env": {
        const pair = value();
        const eq = pair.indexOf("=");
        if (eq <= 0) throw new UsageError(`--env needs NAME=VALUE, got ${JSON.stringify(pair)}`);
        options.env = { ...options.env, [pair.slice(0, eq)]: pair.slice(eq + 1) };
        break;
      }
      default:
        throw new UsageError(`unknown option ${arg}`);
    }
  }
  if (targets > 1) throw new UsageError("choose one of --user, --sys-prefix, --prefix DIR");
  return options;
}

type Command = (args: string[]) => Promise<void> | void;

/** Commands by name (each loads only what it needs); `run` (executing notebooks) plugs in here. */
const commands: Record<string, Command> = {
  async install(args) {
    const { installKernelspec } = await import("./kernelspec.js");
    const dir = installKernelspec(parseInstallArgs(args));
    console.log(`Installed the deepts kernel in ${dir}`);
  },
  async uninstall(args) {
    const { uninstallKernelspec } = await import("./kernelspec.js");
    const dir = uninstallKernelspec(parseInstallArgs(args));
    console.log(
      dir ? `Removed the deepts kernel from ${dir}` : "The deepts kernel was not installed there; nothing removed",
    );
  },
  async run(args) {
    const { parseRunArgs, runNotebooks } = await import("./run.js");
    process.exitCode = await runNotebooks(parseRunArgs(args, (message) => new UsageError(message)));
  },
  async kernel(args) {
    if (args.length !== 1) throw new UsageError("kernel needs exactly one argument: the connection file");
    const { runKernel } = await import("../kernel/start.js");
    await runKernel(args[0]!);
    process.exit(0);
  },
};

async function main(argv: string[]): Promise<void> {
  const [name, ...args] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(USAGE);
    return;
  }
  if (name === "--version") {
    const { readFileSync } = await import("node:fs");
    console.log(
      (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version,
    );
    return;
  }
  const command = commands[name];
  if (!command) throw new UsageError(`unknown command ${JSON.stringify(name)}`);
  await command(args);
}

main(process.argv.slice(2)).catch((e: Error) => {
  if (e instanceof UsageError) {
    process.stderr.write(`deepts: ${e.message}\n\n${USAGE}`);
    process.exit(2);
  }
  process.stderr.write(`deepts: ${e.message}\n`);
  process.exit(1);
});
