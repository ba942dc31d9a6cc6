/**
 * Type checking, completion and inspection of cells with an incremental `ts.LanguageService`.
 *
 * The service's virtual file system holds, as if in the notebook's folder (so relative imports
 * resolve from there; nothing is written to disk):
 * - `__deepts_residents.d.ts`: `declare const tf: typeof import("...")` for every resident global;
 * - `__deepts_cell_<n>.ts` for each executed cell that declares something, as a global *script*
 *   (imports and `export` keywords blanked), plus `__deepts_cell_<n>_imports.ts`, a module that
 *   performs the cell's imports and re-declares the imported bindings as globals;
 * - `__deepts_current.ts` (+ `_imports.ts`): the cell being checked or completed.
 * When a cell declares a name again, the older declarations of that name are renamed in the older
 * cells' files, so the newest declaration wins as it does at run time; a cell whose declarations
 * are all renamed so is left out. Only changed files are re-parsed, and only the current cell is
 * checked, so a check stays fast as the notebook grows; a cell run again in an unchanged context
 * finds the last check's program up to date and costs next to nothing.
 */
import path from "node:path";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type TS from "typescript";
import type { CompletionResult, Diagnostic, InspectionResult, ResidentType } from "./api.js";
import type { CheckMode } from "./cell-mode.js";
import {
  analyzeCell,
  importHelperText,
  renameDeclarations,
  type CellAnalysis,
  type CellImport,
} from "./cell-analysis.js";

/**
 * Diagnostics that do not apply to cells: top-level `await`/`for await` and `import.meta` are
 * fine in a cell even though the checker sees it as a script.
 */
const IGNORED_CODES = new Set([1375, 1378, 1431, 1432, 1343, 1470, 2823, 7016]);

/** The files that hold cells (committed and current), as opposed to helpers and residents. */
const CELL_FILE = /__deepts_(cell_\d+|current)\.[jt]s$/;

/** The modes the language service checks (`off` cells are committed as TypeScript). */
export type CheckedMode = Exclude<CheckMode, "off">;

/**
 * A document registry that parses cell files as modules, so a top-level `await (x as T).f()`
 * is an await expression (a script parses it as a call of a function named `await`), and then
 * marks them as scripts again, so their declarations stay global for the cells after them.
 * Cell files are not shared between services, so they skip the underlying registry's cache and
 * are kept here by version instead: an unchanged cell file stays the same `SourceFile` object
 * from one program to the next, so TypeScript neither re-parses nor re-binds it.
 */
function cellScriptRegistry(
  ts: typeof TS,
  base: TS.DocumentRegistry,
  isCell: (fileName: string) => boolean,
): TS.DocumentRegistry {
  const parse = (
    fileName: string,
    snapshot: TS.IScriptSnapshot,
    version: string,
    kind: TS.ScriptKind | undefined,
    options: TS.ScriptTarget | TS.CreateSourceFileOptions,
  ): TS.SourceFile => {
    const languageVersion = typeof options === "object" ? options.languageVersion : options;
    const asModule = (file: TS.SourceFile) => {
      (file as { externalModuleIndicator?: unknown }).externalModuleIndicator = true;
    };
    const sf = ts.createLanguageServiceSourceFile(
      fileName,
      snapshot,
      { languageVersion, setExternalModuleIndicator: asModule },
      version,
      true,
      kind,
    );
    (sf as { externalModuleIndicator?: unknown }).externalModuleIndicator = undefined;
    return sf;
  };
  const parsed = new Map<string, { version: string; sf: TS.SourceFile }>();
  const cellDocument = (
    fileName: string,
    filePath: TS.Path,
    snapshot: TS.IScriptSnapshot,
    version: string,
    kind: TS.ScriptKind | undefined,
    options: TS.ScriptTarget | TS.CreateSourceFileOptions | undefined,
  ): TS.SourceFile => {
    const known = parsed.get(filePath);
    if (known?.version === version) return known.sf;
    const sf = parse(fileName, snapshot, version, kind, options ?? ts.ScriptTarget.ES2022);
    parsed.set(filePath, { version, sf });
    return sf;
  };
  return {
    ...base,
    acquireDocumentWithKey: (fileName, filePath, host, key, snapshot, version, kind, options) =>
      isCell(fileName)
        ? cellDocument(fileName, filePath, snapshot, version, kind, options)
        : base.acquireDocumentWithKey(fileName, filePath, host, key, snapshot, version, kind, options),
    updateDocumentWithKey: (fileName, filePath, host, key, snapshot, version, kind, options) =>
      isCell(fileName)
        ? cellDocument(fileName, filePath, snapshot, version, kind, options)
        : base.updateDocumentWithKey(fileName, filePath, host, key, snapshot, version, kind, options),
    releaseDocumentWithKey: (
      filePath: TS.Path,
      key: TS.DocumentRegistryBucketKey,
      kind?: TS.ScriptKind,
      format?: TS.ResolutionMode,
    ) => {
      if (isCell(filePath)) parsed.delete(filePath);
      else base.releaseDocumentWithKey(filePath, key, kind!, format);
    },
  };
}

/** Added to "Variable 'a' implicitly has an 'any[]' type" (TS7005), which cells meet across cells. */
const AUTO_TYPED_HINT =
  "\nA variable declared in an earlier cell as `[]` (or with no value) keeps the type it reached there only when that cell gave it elements; declare its type, e.g. `const a: number[] = [];`.";

const KERNEL_ROOT = findPackageRoot(path.dirname(fileURLToPath(import.meta.url)));

function findPackageRoot(from: string): string {
  for (let d = from; ; d = path.dirname(d)) {
    if (existsSync(path.join(d, "package.json")) && existsSync(path.join(d, "node_modules"))) return d;
    if (path.dirname(d) === d) return from;
  }
}

/** What the checker needs to know about the notebook (no values: it may run in another thread). */
export interface CheckerSetup {
  /** The notebook's folder. */
  cwd: string;
  residents: readonly ResidentType[];
}

interface VirtualFile {
  text: string;
  version: number;
}

interface CommittedCell {
  id: number;
  analysis: CellAnalysis;
  /** Checked with JavaScript's rules (a `.js` file), so `this.x =` declares a field. */
  js: boolean;
  /** Names that later cells declared again. */
  shadowed: Set<string>;
  renderedKey: string | undefined;
}

interface CurrentCell {
  code: string;
  js: boolean;
  analysis: CellAnalysis;
  specifiers: { start: number; end: number; importIndex: number }[];
}

export class CellChecker {
  private readonly dir: string;
  private readonly files = new Map<string, VirtualFile>();
  /** Each file's text and version before its last change (or removal). */
  private readonly previousFiles = new Map<string, VirtualFile>();
  private readonly diskSnapshots = new Map<string, TS.IScriptSnapshot>();
  private readonly cells: CommittedCell[] = [];
  /** One language service per option set: default (non-strict) and strict, made when first needed. */
  private readonly services = new Map<boolean, TS.LanguageService>();
  private readonly residentsFile: string;
  private readonly currentHelper: string;
  private current: CurrentCell | undefined;
  private lastAnalysis: { code: string; analysis: CellAnalysis } | undefined;
  private nextId = 0;
  private readonly constantResidents = new Set<string>();
  /** `#member` residents whose member is also a type (a class, an enum): declared as a type too. */
  private readonly typeResidents = new Set<string>();
  private readonly helperExtras = new Map<string, string[]>();
  private versionCounter = 0;
  private readonly namespaceStyle = new Map<string, boolean>();
  private readonly typeRoots: string[];
  private readonly documentRegistry: TS.DocumentRegistry;

  constructor(
    private readonly ts: typeof TS,
    private readonly opts: CheckerSetup,
  ) {
    this.dir = path.resolve(opts.cwd);
    this.residentsFile = path.join(this.dir, "__deepts_residents.d.ts");
    this.currentHelper = path.join(this.dir, "__deepts_current_imports.ts");
    this.typeRoots = [
      path.join(opts.cwd, "node_modules", "@types"),
      path.join(KERNEL_ROOT, "node_modules", "@types"),
    ].filter((d) => existsSync(d));
    this.documentRegistry = ts.createDocumentRegistry();
    this.renderResidents(new Set());
    this.setFile(this.currentFile(false), "");
  }

  /**
   * TypeScript's default options (not strict, as in a new project and in tslab) or strict ones;
   * JavaScript cells are checked with TypeScript's JavaScript rules (`checkJs`).
   */
  private options(strict: boolean): TS.CompilerOptions {
    const ts = this.ts;
    return {
      target: ts.ScriptTarget.ES2022,
      lib: ["lib.es2023.d.ts"],
      module: ts.ModuleKind.Preserve,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      moduleDetection: ts.ModuleDetectionKind.Legacy,
      strict,
      allowJs: true,
      checkJs: true,
      esModuleInterop: true,
      skipLibCheck: true,
      noEmit: true,
      resolveJsonModule: true,
      allowImportingTsExtensions: true,
      allowUmdGlobalAccess: true,
      types: ["node"],
      typeRoots: this.typeRoots,
    };
  }

  private setFile(name: string, text: string | undefined): void {
    const old = this.files.get(name);
    if (old?.text === text) return;
    const previous = this.previousFiles.get(name);
    if (old !== undefined) this.previousFiles.set(name, old);
    if (text === undefined) {
      this.files.delete(name);
      return;
    }
    // A file that returns to its previous text gets its previous version back, so a cell checked
    // again in the same context finds the program (and its checker) of the last check up to date;
    // any other text gets a version never used before.
    this.files.set(name, previous?.text === text ? previous : { text, version: ++this.versionCounter });
  }

  private currentFile(js: boolean): string {
    return path.join(this.dir, `__deepts_current.${js ? "js" : "ts"}`);
  }

  private cellFile(cell: CommittedCell): string {
    return path.join(this.dir, `__deepts_cell_${cell.id}.${cell.js ? "js" : "ts"}`);
  }

  private helperFile(id: number): string {
    return path.join(this.dir, `__deepts_cell_${id}_imports.ts`);
  }

  private getService(strict = false): TS.LanguageService {
    const known = this.services.get(strict);
    if (known) return known;
    const ts = this.ts;
    const options = this.options(strict);
    const anchor = path.join(KERNEL_ROOT, "__deepts_anchor__.ts");
    const moduleHost: TS.ModuleResolutionHost = {
      fileExists: (f) => this.files.has(f) || ts.sys.fileExists(f),
      readFile: (f) => this.files.get(f)?.text ?? ts.sys.readFile(f),
      directoryExists: (d) => ts.sys.directoryExists(d),
      realpath: ts.sys.realpath,
      getDirectories: ts.sys.getDirectories,
    };
    const cache = ts.createModuleResolutionCache(this.opts.cwd, (s) => s, options);
    // `getModuleResolutionCache` is a host method TypeScript uses but does not declare publicly.
    const host: TS.LanguageServiceHost & { getModuleResolutionCache(): TS.ModuleResolutionCache } = {
      ...moduleHost,
      getCompilationSettings: () => options,
      getScriptFileNames: () => [...this.files.keys()],
      getScriptVersion: (f) => String(this.files.get(f)?.version ?? 0),
      getScriptSnapshot: (f) => {
        const v = this.files.get(f);
        if (v) return ts.ScriptSnapshot.fromString(v.text);
        let snap = this.diskSnapshots.get(f);
        if (!snap) {
          const text = ts.sys.readFile(f);
          if (text === undefined) return undefined;
          snap = ts.ScriptSnapshot.fromString(text);
          this.diskSnapshots.set(f, snap);
        }
        return snap;
      },
      // Shared with module resolution, so each program rebuild finds the `package.json` scope
      // (module format) of every library file in the cache instead of reading and parsing it again.
      getModuleResolutionCache: () => cache,
      getCurrentDirectory: () => this.opts.cwd,
      getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
      readDirectory: ts.sys.readDirectory,
      useCaseSensitiveFileNames: () => ts.sys.useCaseSensitiveFileNames,
      // The notebook's folder first, then residents' package names, then the kernel's own packages.
      resolveModuleNameLiterals: (literals, containingFile, _redirected, opts) =>
        literals.map((lit) => {
          const r = ts.resolveModuleName(lit.text, containingFile, opts, moduleHost, cache);
          if (r.resolvedModule) return r;
          const alias = this.aliasTypes(lit.text);
          if (alias) return ts.resolveModuleName(alias, anchor, opts, moduleHost, cache);
          return ts.resolveModuleName(lit.text, anchor, opts, moduleHost, cache);
        }),
    };
    const service = ts.createLanguageService(
      host,
      cellScriptRegistry(ts, this.documentRegistry, (f) => CELL_FILE.test(f)),
    );
    this.services.set(strict, service);
    if (this.services.size === 1) this.demoteUnexportableResidents(service);
    return service;
  }

  /** The module that types a resident's package name (`@tensorflow/tfjs` → the `tf` resident's). */
  private aliasTypes(spec: string): string | undefined {
    const r = this.opts.residents.find((x) => x.moduleNames?.includes(spec) && !x.typesFrom.includes("#"));
    return r ? moduleSpecifier(r.typesFrom) : undefined;
  }

  /** Puts `code` in the current-cell file and renames older declarations it shadows. */
  private sync(code: string, js: boolean): CellAnalysis {
    if (this.current?.code === code && this.current.js === js) return this.current.analysis;
    const analysis = this.analyze(code);
    this.setFile(this.currentFile(!js), undefined);
    this.setFile(this.currentFile(js), analysis.scriptText);
    let specifiers: { start: number; end: number; importIndex: number }[] = [];
    if (analysis.imports.length > 0) {
      specifiers = this.writeHelper(this.currentHelper, analysis.imports, "cur", () => undefined);
    } else this.writeHelper(this.currentHelper, [], "", () => undefined);
    for (const cell of this.cells) this.render(cell, analysis.names);
    this.renderResidents(analysis.names);
    this.current = { code, js, analysis, specifiers };
    return analysis;
  }

  /**
   * The cell's analysis; the last one is reused for the same code (a cell run again) unless it
   * has auto-typed variables, whose annotations a commit fills in for that run's context.
   */
  private analyze(code: string): CellAnalysis {
    if (this.lastAnalysis?.code === code) return this.lastAnalysis.analysis;
    const analysis = analyzeCell(this.ts, code);
    this.lastAnalysis = analysis.autoTyped.length === 0 ? { code, analysis } : undefined;
    return analysis;
  }

  /** (Re)writes a committed cell's files with the names shadowed by later cells renamed. */
  private render(cell: CommittedCell, currentNames: Set<string>): void {
    const hidden = [...cell.analysis.names].filter((n) => cell.shadowed.has(n) || currentNames.has(n)).sort();
    const key = hidden.join(",");
    if (key === cell.renderedKey) return;
    cell.renderedKey = key;
    // A cell whose every declaration a later cell (or the current one) replaced adds nothing a
    // check can see: leave it out of the program, which then stays the same from one run of a
    // cell to the next. Cells with imports or ambient modules (`declare module "m"`) stay.
    if (hidden.length === cell.analysis.names.size && isPlainScript(cell.analysis)) {
      this.setFile(this.cellFile(cell), undefined);
      return;
    }
    const hiddenSet = new Set(hidden);
    const rename = (name: string) => (hiddenSet.has(name) ? `${name}__deepts_old${cell.id}` : undefined);
    this.setFile(this.cellFile(cell), renameDeclarations(cell.analysis, rename));
    if (cell.analysis.imports.length > 0)
      this.writeHelper(this.helperFile(cell.id), cell.analysis.imports, `c${cell.id}`, rename);
  }

  /** Writes (or with no imports, removes) an import helper and its namespace files. */
  private writeHelper(
    file: string,
    imports: CellImport[],
    uid: string,
    rename: (name: string) => string | undefined,
  ): { start: number; end: number; importIndex: number }[] {
    const helper =
      imports.length > 0 ? importHelperText(imports, uid, rename, (spec) => this.exportsAsNamespace(spec)) : undefined;
    this.setFile(file, helper?.text);
    const now = (helper?.namespaces ?? []).map((ns) => {
      const nsFile = `${file.slice(0, -".ts".length)}_ns_${ns.local}.d.ts`;
      this.setFile(nsFile, ns.text);
      return nsFile;
    });
    for (const old of this.helperExtras.get(file) ?? []) if (!now.includes(old)) this.setFile(old, undefined);
    this.helperExtras.set(file, now);
    return helper?.specifiers ?? [];
  }

  /**
   * Whether `export * from spec` re-exports the module's contents: not for an `export =`
   * declaration file, nor for modules that only ambient declarations or plain JavaScript describe.
   */
  private exportsAsNamespace(spec: string): boolean {
    const known = this.namespaceStyle.get(spec);
    if (known !== undefined) return known;
    const ts = this.ts;
    const host: TS.ModuleResolutionHost = { fileExists: ts.sys.fileExists, readFile: ts.sys.readFile };
    const probe = (s: string, dir: string) =>
      ts.resolveModuleName(s, path.join(dir, "__deepts_probe.ts"), this.options(false), host).resolvedModule;
    const alias = this.aliasTypes(spec);
    const resolved =
      probe(spec, this.dir) ?? (alias ? probe(alias, KERNEL_ROOT) : undefined) ?? probe(spec, KERNEL_ROOT);
    let ok = false;
    if (resolved && /\.d\.[cm]?ts$|\.[cm]?ts$/.test(resolved.resolvedFileName)) {
      const text = ts.sys.readFile(resolved.resolvedFileName) ?? "";
      ok = !/^\s*export\s*=/m.test(text);
    }
    this.namespaceStyle.set(spec, ok);
    return ok;
  }

  /**
   * Type errors of `code` in the context of all committed cells, positioned in the cell: checked
   * as JavaScript, as TypeScript with default options, or as strict TypeScript.
   */
  check(code: string, mode: CheckedMode): Diagnostic[] {
    const ts = this.ts;
    const js = mode === "javascript";
    this.sync(code, js);
    const ls = this.getService(mode === "strict");
    const file = this.currentFile(js);
    const out: Diagnostic[] = [];
    const raw = [...ls.getSyntacticDiagnostics(file), ...ls.getSemanticDiagnostics(file)];
    for (const d of raw) {
      if (d.category !== ts.DiagnosticCategory.Error || IGNORED_CODES.has(d.code)) continue;
      if (this.redeclaresLibraryGlobal(d)) continue;
      const diagnostic = this.toDiagnostic(code, d.start ?? 0, d);
      if (d.code === 7005) diagnostic.message += AUTO_TYPED_HINT;
      out.push(diagnostic);
    }
    if (this.files.has(this.currentHelper) && this.current) {
      for (const d of ls.getSemanticDiagnostics(this.currentHelper)) {
        // An untyped JavaScript module (TS7016) is simply `any`, as in a project without noImplicitAny.
        if (d.category !== ts.DiagnosticCategory.Error || d.code === 7016) continue;
        const spec = this.current.specifiers.find((s) => (d.start ?? -1) >= s.start && (d.start ?? -1) < s.end);
        if (!spec) continue;
        const imp = this.current.analysis.imports[spec.importIndex]!;
        out.push(this.toDiagnostic(code, imp.specifierStart, d));
      }
    }
    return out.sort((a, b) => a.line - b.line || a.column - b.column);
  }

  /**
   * A cell may declare a name that a library declares globally (`const require = …`,
   * `let global`): at run time the cell's global simply replaces it, so the clash is not reported.
   */
  private redeclaresLibraryGlobal(d: TS.Diagnostic): boolean {
    if (d.code !== 2451 && d.code !== 2300) return false;
    const others = d.relatedInformation ?? [];
    return others.length > 0 && others.every((r) => r.file !== undefined && !this.files.has(r.file.fileName));
  }

  private toDiagnostic(code: string, start: number, d: TS.Diagnostic): Diagnostic {
    const { line, column } = lineColumn(code, start);
    const message = readableMessage(this.ts.flattenDiagnosticMessageText(d.messageText, "\n"), this.dir);
    return { line, column, code: d.code, message };
  }

  /** Records an executed cell's declarations for the cells after it. */
  commit(code: string, mode: CheckMode): void {
    const js = mode === "javascript";
    const analysis = this.current?.code === code && this.current.js === js ? this.current.analysis : this.analyze(code);
    // Nothing joins the notebook's picture. Every service call puts its own cell in the current
    // files first, so they keep this cell: checking it again reuses the same program as it is.
    if (analysis.names.size === 0) return;
    // A JavaScript file cannot carry the annotations (and its `[]` is `any[]`, not auto-typed).
    if (!js && analysis.autoTyped.length > 0) this.annotateAutoTyped(code, analysis, mode === "strict");
    this.current = undefined;
    this.setFile(this.currentFile(true), undefined);
    this.setFile(this.currentFile(false), "");
    this.writeHelper(this.currentHelper, [], "", () => undefined);
    for (const cell of this.cells) {
      for (const n of analysis.names) if (cell.analysis.names.has(n)) cell.shadowed.add(n);
    }
    const cell: CommittedCell = { id: this.nextId++, analysis, js, shadowed: new Set(), renderedKey: undefined };
    this.cells.push(cell);
    for (const c of this.cells) this.render(c, new Set());
    this.renderResidents(new Set());
  }

  /**
   * Finds the type each auto-typed variable (`const a = []`) has at the end of the cell, by
   * checking the cell with a reference to it appended, and records it as the variable's annotation
   * for later cells. Types that are still `any`-ish (nothing was pushed) are left as they are.
   */
  private annotateAutoTyped(code: string, analysis: CellAnalysis, strict: boolean): void {
    const ts = this.ts;
    this.sync(code, false);
    let text = analysis.scriptText;
    const probes: { name: string; pos: number }[] = [];
    for (const { name } of analysis.autoTyped) {
      text += "\n;";
      probes.push({ name, pos: text.length });
      text += `${name};`;
    }
    this.setFile(this.currentFile(false), text);
    const program = this.getService(strict).getProgram();
    const sf = program?.getSourceFile(this.currentFile(false));
    const checker = program?.getTypeChecker();
    if (!sf || !checker) return;
    for (const { name, pos } of probes) {
      const node = findIdentifierAt(ts, sf, pos);
      if (!node) continue;
      const type = checker.getTypeAtLocation(node);
      const flags = ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.UseFullyQualifiedType;
      const shown = checker.typeToString(type, node, flags);
      if (/\bany\b|^never\[\]$|^undefined$|^never$/.test(shown)) continue;
      analysis.annotations.set(name, shown);
    }
  }

  /**
   * A resident that is a whole module (no `#member`) becomes a UMD global (`export * from "…";
   * export as namespace tf;`), so `tf.Tensor` works as a type too; one whose module cannot be
   * re-exported that way (`export =`) and `#member` residents are `declare const`s.
   * A cell may declare a resident's name itself (e.g. `const tf = …`): then the cell's declaration wins.
   */
  private renderResidents(currentNames: Set<string>): void {
    const visible = this.opts.residents.filter(
      (r) => !currentNames.has(r.name) && !this.cells.some((c) => c.analysis.names.has(r.name)),
    );
    const constant: ResidentType[] = [];
    for (const r of this.opts.residents) {
      const file = this.residentModuleFile(r);
      const asModule = !r.typesFrom.includes("#") && !this.constantResidents.has(r.name);
      if (asModule && visible.includes(r)) {
        this.setFile(
          file,
          `export * from ${JSON.stringify(moduleSpecifier(r.typesFrom))};\nexport as namespace ${r.name};\n`,
        );
      } else {
        this.setFile(file, undefined);
        if (visible.includes(r)) constant.push(r);
      }
    }
    this.setFile(this.residentsFile, residentDeclarations(constant, this.typeResidents));
  }

  private residentModuleFile(r: ResidentType): string {
    return path.join(this.dir, `__deepts_resident_${r.name}.d.ts`);
  }

  /**
   * Residents whose module `export *` cannot re-export (an `export =` module, or one that does
   * not resolve) fall back to `declare const`.
   */
  private demoteUnexportableResidents(ls: TS.LanguageService): void {
    let changed = false;
    const program = ls.getProgram();
    const checker = program?.getTypeChecker();
    for (const r of this.opts.residents) {
      const file = this.residentModuleFile(r);
      if (!this.files.has(file) || !program || !checker) continue;
      const exportDecl = program.getSourceFile(file)?.statements[0];
      const specifier = exportDecl && this.ts.isExportDeclaration(exportDecl) ? exportDecl.moduleSpecifier : undefined;
      const target = specifier && checker.getSymbolAtLocation(specifier);
      if (!target || target.exports?.has("export=" as TS.__String)) {
        this.constantResidents.add(r.name);
        changed = true;
      }
    }
    if (program && checker) changed = this.findTypeResidents(program, checker) || changed;
    if (changed) this.renderResidents(this.current?.analysis.names ?? new Set());
  }

  /** Records the `#member` residents whose member also names a type; true when there are any. */
  private findTypeResidents(program: TS.Program, checker: TS.TypeChecker): boolean {
    const ts = this.ts;
    const sf = program.getSourceFile(this.residentsFile);
    for (const stmt of sf?.statements ?? []) {
      if (!ts.isVariableStatement(stmt)) continue;
      const decl = stmt.declarationList.declarations[0];
      const query = decl?.type;
      if (!decl || !ts.isIdentifier(decl.name) || !query || !ts.isImportTypeNode(query) || !query.qualifier) continue;
      const arg = query.argument;
      const moduleSymbol = ts.isLiteralTypeNode(arg) ? checker.getSymbolAtLocation(arg.literal) : undefined;
      if (!moduleSymbol) continue;
      const member = ts.isIdentifier(query.qualifier) ? query.qualifier.text : undefined;
      let symbol = checker.getExportsOfModule(moduleSymbol).find((e) => e.name === member);
      if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
      if (symbol && symbol.flags & ts.SymbolFlags.Type) this.typeResidents.add(decl.name.text);
    }
    return this.typeResidents.size > 0;
  }

  /** Completions at the cursor; `mode` is how the cell would be checked (see `cellMode`). */
  complete(code: string, cursorPos: number, mode: CheckedMode = "typescript"): CompletionResult {
    const pos = clamp(cursorPos, code.length);
    let start = pos;
    while (start > 0 && /[\w$]/.test(code[start - 1]!)) start--;
    const prefix = code.slice(start, pos);
    const empty: CompletionResult = { matches: [], cursorStart: start, cursorEnd: pos };
    const js = mode === "javascript";
    this.sync(code, js);
    const info = this.getService(mode === "strict").getCompletionsAtPosition(this.currentFile(js), pos, {
      includeCompletionsForModuleExports: false,
      includeCompletionsWithInsertText: true,
    });
    if (!info) return empty;
    const lower = prefix.toLowerCase();
    const entries = info.entries
      .filter((e) => !e.name.startsWith("__deepts") && e.name.toLowerCase().startsWith(lower))
      .sort((a, b) => {
        const ca = a.name.startsWith(prefix) ? 0 : 1;
        const cb = b.name.startsWith(prefix) ? 0 : 1;
        return ca - cb || a.sortText.localeCompare(b.sortText) || a.name.localeCompare(b.name);
      });
    const seen = new Set<string>();
    const unique = entries.filter((e) => (seen.has(e.name) ? false : (seen.add(e.name), true)));
    return {
      matches: unique.map((e) => e.name),
      cursorStart: start,
      cursorEnd: pos,
      types: unique.map((e) => ({ text: e.name, type: completionType(e.kind), start, end: pos })),
    };
  }

  inspect(code: string, cursorPos: number, _detailLevel: 0 | 1, mode: CheckedMode = "typescript"): InspectionResult {
    const ts = this.ts;
    const notFound: InspectionResult = { found: false, text: "", markdown: "" };
    const pos = clamp(cursorPos, code.length);
    const js = mode === "javascript";
    this.sync(code, js);
    const ls = this.getService(mode === "strict");
    const file = this.currentFile(js);
    const info =
      ls.getQuickInfoAtPosition(file, pos) ?? (pos > 0 ? ls.getQuickInfoAtPosition(file, pos - 1) : undefined);
    if (info) {
      const signature = ts.displayPartsToString(info.displayParts);
      return describe(signature, ts.displayPartsToString(info.documentation), info.tags ?? [], ts);
    }
    const help = ls.getSignatureHelpItems(file, pos, undefined);
    const item = help?.items[help.selectedItemIndex];
    if (!item) return notFound;
    const signature = [
      ...item.prefixDisplayParts,
      ...item.parameters.flatMap((p, i) =>
        i > 0 ? [...item.separatorDisplayParts, ...p.displayParts] : p.displayParts,
      ),
      ...item.suffixDisplayParts,
    ]
      .map((p) => p.text)
      .join("");
    return describe(signature, ts.displayPartsToString(item.documentation), item.tags, ts);
  }
}

/**
 * A diagnostic as the user should read it: the checker's own files and absolute paths give way
 * to the names the user wrote (`typeof import("/…/__deepts_resident_tf")` is `typeof tf`, a
 * type imported from a library file is just its name, a package file is named from the package).
 */
export function readableMessage(message: string, notebookDir: string): string {
  const moduleName = (file: string) => {
    const resident = /__deepts_resident_([\w$]+)$/.exec(file);
    if (resident) return resident[1]!;
    const inPackage = file.lastIndexOf("/node_modules/");
    if (inPackage >= 0) return file.slice(inPackage + "/node_modules/".length).replace(/\/(index|dist\/index)$/, "");
    if (file.startsWith(`${KERNEL_ROOT}/dist/`)) return `deepts/${file.slice(KERNEL_ROOT.length + "/dist/".length)}`;
    if (file.startsWith(`${notebookDir}/`)) return `./${file.slice(notebookDir.length + 1)}`;
    return file;
  };
  return (
    message
      .replace(/typeof import\("([^"]+)"\)/g, (_m, file: string) => {
        const name = moduleName(file);
        return /^[\w$]+$/.test(name) ? `typeof ${name}` : `typeof import("${name}")`;
      })
      .replace(/import\("([^"]+)"\)\./g, (m, file: string) => (path.isAbsolute(file) ? "" : m))
      .replace(/'"([^"']+)"'/g, (m, file: string) => (path.isAbsolute(file) ? `'${moduleName(file)}'` : m))
      .replace(/__deepts_old\d+/g, "")
      // A tensor whose rank the types do not know is what the user calls a Tensor.
      .replace(/\b(Tensor|Variable)<any>/g, "$1")
  );
}

function describe(signature: string, doc: string, tags: TS.JSDocTagInfo[], ts: typeof TS): InspectionResult {
  const tagLines = tags.map((t) => {
    const text = t.text ? ts.displayPartsToString(t.text) : "";
    return { name: t.name, text };
  });
  const plainTags = tagLines.map((t) => `@${t.name}${t.text ? ` ${t.text}` : ""}`);
  const text = [signature, doc, plainTags.join("\n")].filter(Boolean).join("\n\n");
  const mdTags = tagLines.map((t) =>
    t.name === "example"
      ? `*@example*\n\`\`\`typescript\n${t.text}\n\`\`\``
      : `*@${t.name}*${t.text ? ` ${t.text}` : ""}`,
  );
  const markdown = [`\`\`\`typescript\n${signature}\n\`\`\``, doc, mdTags.join("\n\n")].filter(Boolean).join("\n\n");
  return { found: true, text, markdown };
}

function completionType(kind: string): string {
  switch (kind) {
    case "method":
    case "function":
    case "local function":
      return "function";
    case "property":
    case "getter":
    case "setter":
      return "property";
    case "var":
    case "let":
    case "const":
    case "local var":
    case "parameter":
      return "instance";
    default:
      return kind;
  }
}

function findIdentifierAt(ts: typeof TS, sf: TS.SourceFile, pos: number): TS.Identifier | undefined {
  const visit = (node: TS.Node): TS.Identifier | undefined => {
    if (ts.isIdentifier(node) && node.getStart(sf) === pos) return node;
    if (node.pos > pos || node.end <= pos) return undefined;
    return ts.forEachChild(node, visit);
  };
  return ts.forEachChild(sf, visit);
}

function clamp(pos: number, length: number): number {
  return Math.max(0, Math.min(Number.isFinite(pos) ? Math.floor(pos) : length, length));
}

/** 1-based line and column of an offset. */
export function lineColumn(code: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < code.length; i++) {
    if (code[i] === "\n") {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * `declare const tf: typeof import("…")` for each resident; `typesFrom` may end in `#member`.
 * Members in `types` (classes, enums) also get `type Figure = import("…").Figure;`.
 */
function residentDeclarations(residents: ResidentType[], types: Set<string>): string {
  return residents
    .map((r) => {
      const member = r.typesFrom.split("#")[1];
      const source = `import(${JSON.stringify(moduleSpecifier(r.typesFrom))})${member ? `.${member}` : ""}`;
      const asType = member && types.has(r.name) ? `\ntype ${r.name} = ${source};` : "";
      return `declare const ${r.name}: typeof ${source};${asType}`;
    })
    .join("\n");
}

/** The module part of `typesFrom`; a `.d.ts` path is named by its `.js` twin, as imports do. */
function moduleSpecifier(typesFrom: string): string {
  const spec = typesFrom.split("#")[0]!;
  return spec.endsWith(".d.ts") ? `${spec.slice(0, -".d.ts".length)}.js` : spec;
}

/** A cell without imports and without ambient module declarations: its names are all it declares. */
function isPlainScript(analysis: CellAnalysis): boolean {
  return analysis.imports.length === 0 && !/\bdeclare\s+(module|global)\b/.test(analysis.scriptText);
}
