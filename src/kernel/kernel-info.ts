/** The kernel_info_reply content (computed without loading TypeScript or the runtime). */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { PROTOCOL_VERSION } from "../wire/message.js";

function readVersion(resolve: () => string): string {
  try {
    return (JSON.parse(readFileSync(resolve(), "utf8")) as { version?: string }).version ?? "unknown";
  } catch {
    return "unknown";
  }
}

let cached: Record<string, unknown> | undefined;

export function kernelInfo(): Record<string, unknown> {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  const version = readVersion(() => new URL("../../package.json", import.meta.url).pathname);
  const tsVersion = readVersion(() => require.resolve("typescript/package.json"));
  cached = {
    status: "ok",
    protocol_version: PROTOCOL_VERSION,
    implementation: "deepts",
    implementation_version: version,
    language_info: {
      name: "typescript",
      version: tsVersion,
      mimetype: "text/typescript",
      file_extension: ".ts",
      codemirror_mode: "typescript",
      pygments_lexer: "typescript",
    },
    banner: `deepts ${version}: TypeScript ${tsVersion} on Node.js ${process.versions.node}, with \`tf\` and \`display\` in every cell`,
    help_links: [
      { text: "TypeScript handbook", url: "https://www.typescriptlang.org/docs/handbook/intro.html" },
      { text: "TensorFlow.js API", url: "https://js.tensorflow.org/api/latest/" },
      { text: "Node.js API", url: "https://nodejs.org/api/" },
    ],
    debugger: false,
  };
  return cached;
}
