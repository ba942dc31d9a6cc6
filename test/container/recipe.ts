/** Reads the container recipe: the Dockerfile's instructions, with line continuations joined. */
import { readFileSync } from "node:fs";

export interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

export const KEYWORDS = new Set([
  "FROM",
  "RUN",
  "CMD",
  "LABEL",
  "EXPOSE",
  "ENV",
  "ADD",
  "COPY",
  "ENTRYPOINT",
  "VOLUME",
  "USER",
  "WORKDIR",
  "ARG",
  "ONBUILD",
  "STOPSIGNAL",
  "HEALTHCHECK",
  "SHELL",
]);

export function parseDockerfile(path: string): Instruction[] {
  const out: Instruction[] = [];
  let pending: Instruction | undefined;
  readFileSync(path, "utf8")
    .split("\n")
    .forEach((raw, i) => {
      const text = raw.trim();
      if (!pending && (text === "" || text.startsWith("#"))) return;
      if (pending && text.startsWith("#")) return;
      const continued = text.endsWith("\\");
      const body = continued ? text.slice(0, -1).trimEnd() : text;
      if (pending) pending.args += ` ${body}`;
      else {
        const m = /^(\S+)\s*(.*)$/.exec(body)!;
        pending = { keyword: m[1]!.toUpperCase(), args: m[2]!, line: i + 1 };
      }
      if (!continued) {
        out.push(pending);
        pending = undefined;
      }
    });
  if (pending) out.push(pending);
  return out;
}
