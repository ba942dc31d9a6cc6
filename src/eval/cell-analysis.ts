/**
 * What a cell declares, as the type checker needs it: the cell's text as a global *script*
 * (imports and `export` keywords blanked out, positions unchanged), its imports (re-declared as
 * globals by a generated helper module), and the positions of its top-level declaration names
 * (renamed in older cells when a later cell declares the same name again).
 */
import type TS from "typescript";

export interface ImportBinding {
  local: string;
  /** `default`, `*` (namespace) or the exported name. */
  imported: string;
  typeOnly: boolean;
}

export interface CellImport {
  specifier: string;
  /** Offset of the module specifier in the cell (where "cannot find module" is reported). */
  specifierStart: number;
  bindings: ImportBinding[];
}

export interface CellAnalysis {
  /** The cell as a global script, same length and line structure as the source. */
  scriptText: string;
  imports: CellImport[];
  /** Top-level declared names (values and types, imports included). */
  names: Set<string>;
  /** Positions of declaration identifiers per name (imports excluded). */
  declarationSites: Map<string, { start: number; end: number }[]>;
  /**
   * Top-level variables whose type evolves through the cell (`const a = []`, `let x;`), with the
   * end of their name: later cells would see them as `any[]`/`any`, so the checker annotates them
   * with the type they have at the end of the cell (`annotations`, filled in on commit).
   */
  autoTyped: { name: string; nameEnd: number }[];
  annotations: Map<string, string>;
}

function blank(text: string, ranges: { start: number; end: number }[]): string {
  if (ranges.length === 0) return text;
  const chars = text.split("");
  for (const { start, end } of ranges) {
    for (let i = start; i < end; i++) if (chars[i] !== "\n" && chars[i] !== "\r") chars[i] = " ";
  }
  return chars.join("");
}

export function analyzeCell(ts: typeof TS, code: string): CellAnalysis {
  const sf = ts.createSourceFile("cell.ts", code, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const blanks: { start: number; end: number }[] = [];
  const imports: CellImport[] = [];
  const names = new Set<string>();
  const sites = new Map<string, { start: number; end: number }[]>();
  const autoTyped: { name: string; nameEnd: number }[] = [];

  const addSite = (id: TS.Identifier) => {
    names.add(id.text);
    const list = sites.get(id.text) ?? [];
    list.push({ start: id.getStart(sf), end: id.end });
    sites.set(id.text, list);
  };
  const addBinding = (name: TS.BindingName) => {
    if (ts.isIdentifier(name)) addSite(name);
    else for (const el of name.elements) if (!ts.isOmittedExpression(el)) addBinding(el.name);
  };
  /** Short texts written over blanked ranges (same length or shorter). */
  const overwrites: { start: number; text: string }[] = [];
  const blankModifiers = (node: TS.Node) => {
    const mods = ts.canHaveModifiers(node) ? ts.getModifiers(node) : undefined;
    for (const m of mods ?? []) {
      if (m.kind === ts.SyntaxKind.ExportKeyword || m.kind === ts.SyntaxKind.DefaultKeyword) {
        blanks.push({ start: m.getStart(sf), end: m.end });
      }
    }
    // `export default function () {}` without a name: keep it an expression (`void function () {}`).
    const anonymous = (ts.isFunctionDeclaration(node) || ts.isClassDeclaration(node)) && !node.name;
    const exported = mods?.find((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    if (anonymous && exported) overwrites.push({ start: exported.getStart(sf), text: "void" });
  };
  /** `var` declarations in top-level blocks are globals too. */
  const collectVars = (node: TS.Node): void => {
    if (ts.isFunctionLike(node) || ts.isClassLike(node)) return;
    if (ts.isVariableDeclarationList(node) && (node.flags & ts.NodeFlags.BlockScoped) === 0) {
      for (const d of node.declarations) addBinding(d.name);
    }
    ts.forEachChild(node, collectVars);
  };

  for (const stmt of sf.statements) {
    if (ts.isImportDeclaration(stmt)) {
      blanks.push({ start: stmt.getStart(sf), end: stmt.end });
      if (!ts.isStringLiteral(stmt.moduleSpecifier)) continue;
      const clause = stmt.importClause;
      const bindings: ImportBinding[] = [];
      const clauseTypeOnly = !!clause?.isTypeOnly;
      if (clause?.name) bindings.push({ local: clause.name.text, imported: "default", typeOnly: clauseTypeOnly });
      const nb = clause?.namedBindings;
      if (nb && ts.isNamespaceImport(nb))
        bindings.push({ local: nb.name.text, imported: "*", typeOnly: clauseTypeOnly });
      else if (nb) {
        for (const el of nb.elements) {
          bindings.push({
            local: el.name.text,
            imported: (el.propertyName ?? el.name).text,
            typeOnly: clauseTypeOnly || el.isTypeOnly,
          });
        }
      }
      for (const b of bindings) names.add(b.local);
      imports.push({
        specifier: stmt.moduleSpecifier.text,
        specifierStart: stmt.moduleSpecifier.getStart(sf),
        bindings,
      });
      continue;
    }
    if (ts.isExportDeclaration(stmt) || ts.isExportAssignment(stmt) || ts.isImportEqualsDeclaration(stmt)) {
      if (ts.isExportAssignment(stmt)) blanks.push({ start: stmt.getStart(sf), end: stmt.expression.getStart(sf) });
      else blanks.push({ start: stmt.getStart(sf), end: stmt.end });
      continue;
    }
    blankModifiers(stmt);
    if (ts.isVariableStatement(stmt)) {
      for (const d of stmt.declarationList.declarations) addBinding(d.name);
      for (const d of stmt.declarationList.declarations) {
        const emptyArray =
          d.initializer && ts.isArrayLiteralExpression(d.initializer) && d.initializer.elements.length === 0;
        if (
          ts.isIdentifier(d.name) &&
          !d.type &&
          (emptyArray || !d.initializer) &&
          !stmt.modifiers?.some((m) => m.kind === ts.SyntaxKind.DeclareKeyword)
        ) {
          autoTyped.push({ name: d.name.text, nameEnd: d.name.end });
        }
      }
      for (const d of stmt.declarationList.declarations) if (d.initializer) collectVars(d.initializer);
    } else if (
      (ts.isFunctionDeclaration(stmt) ||
        ts.isClassDeclaration(stmt) ||
        ts.isInterfaceDeclaration(stmt) ||
        ts.isTypeAliasDeclaration(stmt) ||
        ts.isEnumDeclaration(stmt)) &&
      stmt.name
    ) {
      addSite(stmt.name);
    } else if (ts.isModuleDeclaration(stmt) && ts.isIdentifier(stmt.name)) {
      addSite(stmt.name);
    } else {
      collectVars(stmt);
    }
  }
  let scriptText = blank(code, blanks);
  for (const o of overwrites)
    scriptText = scriptText.slice(0, o.start) + o.text + scriptText.slice(o.start + o.text.length);
  return { scriptText, imports, names, declarationSites: sites, autoTyped, annotations: new Map() };
}

/**
 * Replaces the declaration identifiers of `renamed` names and adds the `annotations` of auto-typed
 * variables (text positions change; for older cells only).
 */
export function renameDeclarations(analysis: CellAnalysis, rename: (name: string) => string | undefined): string {
  const edits: { start: number; end: number; text: string }[] = [];
  for (const [name, list] of analysis.declarationSites) {
    const to = rename(name);
    if (to) for (const s of list) edits.push({ ...s, text: to });
  }
  for (const { name, nameEnd } of analysis.autoTyped) {
    const type = analysis.annotations.get(name);
    if (type) edits.push({ start: nameEnd, end: nameEnd, text: `: ${type}` });
  }
  edits.sort((a, b) => b.start - a.start);
  let text = analysis.scriptText;
  for (const e of edits) text = text.slice(0, e.start) + e.text + text.slice(e.end);
  return text;
}

/**
 * A module that imports what the cell imports and re-declares each binding as a global
 * (`const` for its value, `type` for its type; whichever does not apply is an ignored error).
 * A namespace import of a module that `export *` can re-export (`asNamespace`) becomes instead a
 * declaration file `export * from "m"; export as namespace ns;` (a UMD global), so that `ns.Type`
 * works in type positions too.
 * Returns the text, where each import's specifier is in it, and the namespace files.
 */
export function importHelperText(
  imports: CellImport[],
  uid: string,
  rename: (name: string) => string | undefined,
  asNamespace: (specifier: string) => boolean = () => false,
): {
  text: string;
  specifiers: { start: number; end: number; importIndex: number }[];
  namespaces: { local: string; text: string }[];
} {
  let text = "";
  const namespaces: { local: string; text: string }[] = [];
  const globals: string[] = [];
  const specifiers: { start: number; end: number; importIndex: number }[] = [];
  let n = 0;
  for (const [importIndex, imp] of imports.entries()) {
    const parts: string[] = [];
    const decls: string[] = [];
    for (const b of imp.bindings) {
      const alias = `__deepts_${uid}_${n++}`;
      const local = rename(b.local) ?? b.local;
      if (b.imported === "default") parts.push(`${b.typeOnly ? "type " : ""}default as ${alias}`);
      else if (b.imported === "*") {
        parts.push(`* as ${alias}`);
      } else parts.push(`${b.typeOnly ? "type " : ""}${JSON.stringify(b.imported).slice(1, -1)} as ${alias}`);
      if (b.imported === "*" && asNamespace(imp.specifier)) {
        namespaces.push({
          local,
          text: `export * from ${JSON.stringify(imp.specifier)};\nexport as namespace ${local};\n`,
        });
        continue;
      }
      if (!b.typeOnly) decls.push(`const ${local}: typeof ${alias};`);
      if (b.imported !== "*") decls.push(`type ${local} = ${alias};`);
    }
    const star = parts.find((p) => p.startsWith("* as "));
    const named = parts.filter((p) => !p.startsWith("* as "));
    const clauses: string[] = [];
    if (star) clauses.push(`import ${star} from `);
    if (named.length > 0 || !star) clauses.push(named.length > 0 ? `import { ${named.join(", ")} } from ` : "import ");
    for (const c of clauses) {
      const start = text.length;
      text += `${c}${JSON.stringify(imp.specifier)};`;
      specifiers.push({ start, end: text.length, importIndex });
      text += "\n";
    }
    globals.push(...decls);
  }
  text += `declare global {\n${globals.map((g) => `  ${g}`).join("\n")}\n}\nexport {};\n`;
  return { text, specifiers, namespaces };
}
