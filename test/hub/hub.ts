/**
 * A JupyterHub for tests: Debian's `jupyterhub` with the dummy authenticator, the simple local
 * process spawner (every student's single-user server is a process of this user, with a home under
 * the hub's folder), npm's `configurable-http-proxy`, and the deepts kernelspec on `JUPYTER_PATH`.
 * A "teacher" service token drives it through the hub's REST API.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, realpathSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { freePorts, installKernelspec, repoRoot } from "../kernel/client.js";

export const JUPYTERHUB = "/usr/bin/jupyterhub";
/**
 * npm's configurable-http-proxy (Debian's, which its jupyterhub package pulls in, fails to start
 * with this Node): `DEEPTS_HUB_PROXY` (`.ci/run` installs one there), the repository's
 * node_modules, else one on PATH that is not Debian's.
 */
const PROXY = ((): string | undefined => {
  const given = process.env.DEEPTS_HUB_PROXY;
  if (given && existsSync(given)) return given;
  const local = join(repoRoot, "node_modules/.bin/configurable-http-proxy");
  if (existsSync(local)) return local;
  const onPath = spawnSync("sh", ["-c", "command -v configurable-http-proxy"], { encoding: "utf8" }).stdout.trim();
  if (!onPath || realpathSync(onPath).startsWith("/usr/share/nodejs/")) return undefined;
  return onPath;
})();

/** Why a hub cannot run here, or undefined when it can. */
export function hubMissing(): string | undefined {
  if (!existsSync(JUPYTERHUB)) return `${JUPYTERHUB} is missing (apt: jupyterhub)`;
  if (!PROXY)
    return "npm's configurable-http-proxy is missing (npm install --prefix DIR configurable-http-proxy@5, then DEEPTS_HUB_PROXY=DIR/node_modules/.bin/configurable-http-proxy)";
  return undefined;
}

export interface StudentServer {
  name: string;
  /** The single-user server's URL through the proxy, ending in "/". */
  baseUrl: string;
  wsUrl: string;
  token: string;
}

export class TestHub {
  log = "";
  private constructor(
    readonly proc: ChildProcess,
    readonly url: string,
    private readonly apiToken: string,
    readonly dir: string,
  ) {
    proc.stdout?.on("data", (d: Buffer) => (this.log += d.toString()));
    proc.stderr?.on("data", (d: Buffer) => (this.log += d.toString()));
  }

  /** Starts a hub whose spawned servers get `kernelEnv` in their environment (a teacher's limits). */
  static async start(kernelEnv: Record<string, string> = {}): Promise<TestHub> {
    const { prefix, env } = installKernelspec("hub");
    const [port, hubPort, apiPort] = await freePorts(3);
    const apiToken = randomUUID().replaceAll("-", "");
    const dir = join(prefix, "hub");
    mkdirSync(dir);
    const spawnerEnv = { JUPYTER_PATH: env.JUPYTER_PATH!, DEEPTS_HISTORY_FILE: "", ...kernelEnv };
    const config = `
c = get_config()  # noqa
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = ${port}
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = ${hubPort}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:${apiPort}"
c.ConfigurableHTTPProxy.command = [${JSON.stringify(PROXY)}]
c.JupyterHub.db_url = "sqlite:///${join(dir, "hub.sqlite")}"
c.JupyterHub.cookie_secret_file = ${JSON.stringify(join(dir, "cookie_secret"))}
c.JupyterHub.pid_file = ${JSON.stringify(join(dir, "hub.pid"))}
c.JupyterHub.authenticator_class = "dummy"
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = ${JSON.stringify(join(dir, "home", "{username}"))}
c.Spawner.environment = ${JSON.stringify(spawnerEnv)}
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = 180
c.Spawner.http_timeout = 180
${process.getuid?.() === 0 ? 'c.Spawner.args = ["--allow-root"]' : ""}
c.JupyterHub.services = [{"name": "teacher", "api_token": ${JSON.stringify(apiToken)}}]
c.JupyterHub.load_roles = [{
    "name": "teacher",
    "scopes": ["admin:users", "admin:servers", "tokens", "access:servers", "read:users"],
    "services": ["teacher"],
}]
`;
    const configFile = join(dir, "jupyterhub_config.py");
    writeFileSync(configFile, config);
    const proc = spawn(JUPYTERHUB, ["-f", configFile], {
      cwd: dir,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...env, PATH: process.env.PATH },
    });
    const hub = new TestHub(proc, `http://127.0.0.1:${port}`, apiToken, dir);
    const deadline = Date.now() + 120_000;
    for (;;) {
      try {
        const r = await fetch(`${hub.url}/hub/api/`);
        if (r.ok) break;
      } catch {
        // not up yet
      }
      if (proc.exitCode !== null || Date.now() > deadline) throw new Error(`jupyterhub did not start:\n${hub.log}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    return hub;
  }

  async api(method: string, path: string, body?: unknown): Promise<unknown> {
    const r = await fetch(`${this.url}/hub/api${path}`, {
      method,
      headers: { Authorization: `token ${this.apiToken}`, "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  }

  /** Creates the student, starts their server, and returns how to reach it with a token of theirs. */
  async startServer(name: string, timeoutMs = 240_000): Promise<StudentServer> {
    await this.api("POST", `/users/${name}`).catch((e: Error) => {
      if (!/409/.test(e.message)) throw e;
    });
    await this.api("POST", `/users/${name}/server`).catch((e: Error) => {
      if (!/400.*already running/i.test(e.message)) throw e;
    });
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const user = (await this.api("GET", `/users/${name}`)) as {
        servers?: Record<string, { ready: boolean; url: string }>;
      };
      const server = user.servers?.[""];
      if (server?.ready) {
        const { token } = (await this.api("POST", `/users/${name}/tokens`, { note: "test student" })) as {
          token: string;
        };
        return {
          name,
          baseUrl: `${this.url}${server.url}`,
          wsUrl: `${this.url.replace(/^http/, "ws")}${server.url}`,
          token,
        };
      }
      if (Date.now() > deadline) throw new Error(`${name}'s server did not start:\n${this.log.slice(-4000)}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  async stopServer(name: string): Promise<void> {
    await this.api("DELETE", `/users/${name}/server`).catch(() => undefined);
  }

  /** Stops every server and the hub (and with it the proxy it started). */
  async stop(names: string[]): Promise<void> {
    await Promise.all(names.map((n) => this.stopServer(n)));
    if (this.proc.exitCode === null) {
      const exited = new Promise((r) => this.proc.once("exit", r));
      this.proc.kill("SIGTERM");
      const timer = setTimeout(() => this.proc.kill("SIGKILL"), 20_000);
      await exited;
      clearTimeout(timer);
    }
  }
}
