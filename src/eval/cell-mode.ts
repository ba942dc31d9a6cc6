/**
 * How a cell is type-checked (the type policy; see README "Type checking"):
 *
 * - `javascript`: the cell has no TypeScript-only syntax. It is checked with TypeScript's
 *   JavaScript rules, and only a certain run-time failure refuses it (see `certain-failures.ts`);
 *   a first line `// @ts-check` makes every JavaScript diagnostic refuse it.
 * - `typescript`: the cell uses TypeScript syntax (an annotation, `as`, an interface …): it is
 *   checked with TypeScript's default, non-strict options, and any error refuses it.
 * - `strict`: strict TypeScript, chosen by a first line `// @ts-strict` or for the whole notebook
 *   with `DEEPTS_TYPECHECK=strict`.
 * - `off`: not checked (`// @ts-nocheck`, `DEEPTS_TYPECHECK=off`).
 */
import type TS from "typescript";

export type CheckMode = "javascript" | "typescript" | "strict" | "off";

/** The notebook-wide setting (`DEEPTS_TYPECHECK`): `auto` is the policy above. */
export type TypeCheckSetting = "auto" | "strict" | "off";

export interface CellMode {
  mode: CheckMode;
  /** A JavaScript cell whose first line is `// @ts-check`: all its diagnostics count. */
  checkAll: boolean;
  /** The cell uses TypeScript-only syntax. */
  typescriptSyntax: boolean;
}

/** Reads `DEEPTS_TYPECHECK` (`auto` when unset or unknown). */
export function typeCheckSetting(env: NodeJS.ProcessEnv = process.env): TypeCheckSetting {
  const value = (env.DEEPTS_TYPECHECK ?? "").trim().toLowerCase();
  return value === "strict" || value === "off" ? value : "auto";
}

/** The `// @ts-…` directives in the comment lines that open the cell. */
export function leadingDirectives(code: string): Set<string> {
  const found = new Set<string>();
  for (const line of code.split(/\r?\n/)) {
    const text = line.trim();
    if (text === "") continue;
    const m = /^\/\/\s*@(ts-[\w-]+)/.exec(text);
    if (m) found.add(m[1]!.toLowerCase());
    else if (!text.startsWith("//")) break;
  }
  return found;
}

/** True when the cell opens with a `// @ts-nocheck` comment (the cell then runs unchecked). */
export function hasNoCheckDirective(code: string): boolean {
  return leadingDirectives(code).has("ts-nocheck");
}

export function cellMode(ts: typeof TS, code: string, setting: TypeCheckSetting = "auto"): CellMode {
  const directives = leadingDirectives(code);
  const typescriptSyntax = usesTypeScriptSyntax(ts, code);
  if (directives.has("ts-nocheck") || setting === "off") return { mode: "off", checkAll: false, typescriptSyntax };
  if (directives.has("ts-strict") || setting === "strict") return { mode: "strict", checkAll: true, typescriptSyntax };
  if (typescriptSyntax) return { mode: "typescript", checkAll: true, typescriptSyntax };
  return { mode: "javascript", checkAll: directives.has("ts-check"), typescriptSyntax };
}

/**
 * Whether the code uses syntax that only TypeScript has: what TypeScript itself reports as
 * "… can only be used in TypeScript files" in a `.js` file, plus type arguments
 * (`f<T>(x)`, which JavaScript reads as comparisons).
 */
export function usesTypeScriptSyntax(ts: typeof TS, code: string): boolean {
  const sf = parseCell(ts, code, false);
  const K = ts.SyntaxKind;
  const tsOnlyKinds = new Set<TS.SyntaxKind>([
    K.InterfaceDeclaration,
    K.TypeAliasDeclaration,
    K.EnumDeclaration,
    K.ModuleDeclaration,
    K.ImportEqualsDeclaration,
    K.AsExpression,
    K.SatisfiesExpression,
    K.NonNullExpression,
    K.TypeAssertionExpression,
    K.ExpressionWithTypeArguments,
    K.IndexSignature,
  ]);
  const tsOnlyModifiers = new Set<TS.SyntaxKind>([
    K.PublicKeyword,
    K.PrivateKeyword,
    K.ProtectedKeyword,
    K.ReadonlyKeyword,
    K.AbstractKeyword,
    K.DeclareKeyword,
    K.OverrideKeyword,
  ]);
  const found = (node: TS.Node): boolean => {
    if (ts.isHeritageClause(node)) {
      // `extends B` holds B as an ExpressionWithTypeArguments: only type arguments count there.
      if (node.token === K.ImplementsKeyword) return true;
      return node.types.some((t) => !!t.typeArguments || found(t.expression));
    }
    if (tsOnlyKinds.has(node.kind)) return true;
    if (ts.isExportAssignment(node) && node.isExportEquals) return true;
    const n = node as {
      type?: TS.Node;
      typeParameters?: unknown;
      typeArguments?: unknown;
      questionToken?: unknown;
      exclamationToken?: unknown;
      isTypeOnly?: boolean;
      body?: unknown;
    };
    if (n.typeParameters || n.typeArguments || n.isTypeOnly) return true;
    if (n.type && ts.isTypeNode(n.type)) return true;
    if ((ts.isParameter(node) || ts.isPropertyDeclaration(node) || ts.isMethodDeclaration(node)) && n.questionToken)
      return true;
    if ((ts.isVariableDeclaration(node) || ts.isPropertyDeclaration(node)) && n.exclamationToken) return true;
    if (ts.isParameter(node) && ts.isIdentifier(node.name) && node.name.text === "this") return true;
    // Overload signatures: a function or method without a body.
    if (
      (ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) || ts.isConstructorDeclaration(node)) &&
      !n.body
    )
      return true;
    if (ts.canHaveModifiers(node)) {
      for (const m of ts.getModifiers(node) ?? []) if (tsOnlyModifiers.has(m.kind)) return true;
    }
    return ts.forEachChild(node, found) ?? false;
  };
  return ts.forEachChild(sf, found) ?? false;
}

/**
 * Parses a cell as a module, as it runs (so `await (x)` at the top is an await, not a call of a
 * function named `await`).
 */
export function parseCell(ts: typeof TS, code: string, setParentNodes: boolean): TS.SourceFile {
  const options: TS.CreateSourceFileOptions = {
    languageVersion: ts.ScriptTarget.ES2022,
    setExternalModuleIndicator: (file) => {
      (file as { externalModuleIndicator?: unknown }).externalModuleIndicator = true;
    },
  };
  return ts.createSourceFile("cell.ts", code, options, setParentNodes, ts.ScriptKind.TS);
}
