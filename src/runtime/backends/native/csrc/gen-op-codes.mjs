// Writes op_codes.h, next to this file, from ../op-codes.ts (the one table of the native addon's
// operation codes): `npm run gen`. CI regenerates it and fails when the checked-in copy differs.
// `--check` exits 1 instead of writing when the header is out of date.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const here = dirname(fileURLToPath(import.meta.url));
const sourcePath = join(here, "../op-codes.ts");
const headerPath = join(here, "op_codes.h");
const root = join(here, "../../../../..");

const codes = await importTypeScript(sourcePath);
const header = render(codes);

if (process.argv.includes("--check")) {
  let current = "";
  try {
    current = readFileSync(headerPath, "utf8");
  } catch {}
  if (current !== header) {
    console.error(`${relative(root, headerPath)} is out of date: run \`npm run gen\``);
    process.exit(1);
  }
} else {
  writeFileSync(headerPath, header);
  console.log(`wrote ${relative(root, headerPath)}`);
}

/** The module `path` exports, transpiled on the fly (it has no imports). */
async function importTypeScript(path) {
  const { outputText } = ts.transpileModule(readFileSync(path, "utf8"), {
    compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 },
  });
  return import(`data:text/javascript;base64,${Buffer.from(outputText).toString("base64")}`);
}

function render({ OP_CODE_ENUMS, OP_CODE_SETS, enumMembers, opCodesFingerprint }) {
  const out = [
    `// Generated from src/runtime/backends/native/op-codes.ts by \`npm run gen\` (csrc/gen-op-codes.mjs): do not edit.`,
    "// The addon's switches name these enumerators without a default, and it builds with -Werror=switch:",
    "// a code added in op-codes.ts without its case in deepts_native.cc fails the build.",
    "#pragma once",
    "",
    "#include <cstdint>",
    "",
    "namespace deepts {",
    "",
  ];
  for (const [name, e] of Object.entries(OP_CODE_ENUMS)) {
    const members = enumMembers(e);
    const count = members.filter(([, code]) => code >= 0).length;
    members
      .filter(([, code]) => code >= 0)
      .forEach(([member, code], k) => {
        if (code !== k) throw new Error(`op-codes.ts: ${name}.${member} is ${code}; codes from 0 must be 0, 1, 2, …`);
      });
    out.push(`enum class ${name} : int32_t {`);
    for (const [member, code] of members) out.push(`  ${member} = ${code},`);
    out.push("};");
    out.push(`// Codes 0 … ${count - 1}: what a table indexed by ${name} holds.`);
    out.push(`constexpr int32_t k${name}Count = ${count};`);
    out.push("");
  }
  for (const [name, set] of Object.entries(OP_CODE_SETS)) {
    const names = enumMembers(OP_CODE_ENUMS[set.of]);
    const terms = set.codes.map((code) => `op == ${set.of}::${names.find(([, c]) => c === code)[0]}`);
    out.push(`constexpr bool ${name}(${set.of} op) {`);
    out.push(`  return ${terms.join(" ||\n         ")};`);
    out.push("}");
    out.push("");
  }
  out.push("// The addon returns it from opCodesFingerprint(); loadAddon refuses a build of other codes.");
  out.push(`constexpr uint32_t kOpCodesFingerprint = 0x${opCodesFingerprint().toString(16).padStart(8, "0")}u;`);
  out.push("");
  out.push("}  // namespace deepts");
  out.push("");
  return out.join("\n");
}
