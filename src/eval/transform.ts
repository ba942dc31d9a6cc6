/**
 * Turns one TypeScript cell into a JavaScript script that runs in the worker's global realm.
 *
 * The cell body is wrapped in an async arrow (so top-level `await` works) and its top-level
 * declarations are rewritten into assignments to global bindings, so they persist into later
 * cells and a cell that declares `const x` can be run again:
 *
 *   const {a, b: [c]} = f();  →  ({a, b: [c]} = f());
 *   function g() {}           →  g = function g() {};   (hoisted to the top of the cell)
 *   class K {}                →  K = class K {};
 *   import d, {n} from "m";   →  const m0 = await import_("m"); d = default_(m0); n = named_(m0, "n");
 *
 * Every declared name is first made an own property of `globalThis` (see `RUNTIME_NAMES.declare`),
 * so the assignments work in strict mode. Every loop iteration and function entry calls the
 * interrupt check. The last expression statement becomes the cell's value.
 */
import type TS from "typescript";

/** Global helper functions the generated code calls; installed by the evaluator. */
export const RUNTIME_NAMES = {
  check: "__deepts_check",
  declare: "__deepts_declare",
  importModule: "__deepts_import",
  importDefault: "__deepts_default",
  importNamed: "__deepts_named",
  importMeta: "__deepts_import_meta",
} as const;

export interface SyntaxProblem {
  /** 0-based offset into the cell source. */
  start: number;
  message: string;
  code: number;
}

export interface TransformedCell {
  /** Script text; evaluating it returns a promise of `{ value }` or `undefined`. */
  js: string;
  /** Source map (v3 JSON) from `js` back to the cell source. */
  sourceMap: string;
  /** True when the cell ends with an expression statement whose value is returned. */
  hasLastExpression: boolean;
  /** Names the cell declares at top level (the values that persist). */
  declaredNames: string[];
  /** Syntax errors; when non-empty, `js` must not be run. */
  syntaxErrors: SyntaxProblem[];
}

/** Compiler options for emitting a cell (no type information is needed here). */
export function emitOptions(ts: typeof TS): TS.CompilerOptions {
  return {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleDetection: ts.ModuleDetectionKind.Force,
    verbatimModuleSyntax: true,
    experimentalDecorators: false,
    useDefineForClassFields: true,
    sourceMap: true,
    inlineSources: false,
  };
}

export function transformCell(ts: typeof TS, code: string, fileName: string): TransformedCell {
  let lastOriginal: TS.Statement | undefined;
  const declared = new Set<string>();
  let hasLastExpression = false;

  const recordLast: TS.TransformerFactory<TS.SourceFile> = () => (sf) => {
    lastOriginal = sf.statements[sf.statements.length - 1];
    return sf;
  };
  const instrument = instrumentTransformer(ts);
  const persist: TS.TransformerFactory<TS.SourceFile> = (ctx) => (sf) => {
    const result = persistDeclarations(ts, ctx, sf, lastOriginal, declared);
    hasLastExpression = result.hasLastExpression;
    return result.sourceFile;
  };

  const out = ts.transpileModule(code, {
    fileName,
    reportDiagnostics: true,
    compilerOptions: emitOptions(ts),
    transformers: { before: [recordLast], after: [instrument, persist] },
  });
  const syntaxErrors = (out.diagnostics ?? [])
    .filter((d) => d.category === ts.DiagnosticCategory.Error)
    .map((d) => ({
      start: d.start ?? 0,
      message: ts.flattenDiagnosticMessageText(d.messageText, "\n"),
      code: d.code,
    }));
  const js = out.outputText.replace(/\n\/\/# sourceMappingURL=.*\s*$/, "\n");
  return {
    js,
    sourceMap: out.sourceMapText ?? "",
    hasLastExpression,
    declaredNames: [...declared],
    syntaxErrors,
  };
}

function isPrologue(ts: typeof TS, s: TS.Statement): boolean {
  return ts.isExpressionStatement(s) && ts.isStringLiteral(s.expression);
}

function checkCall(f: TS.NodeFactory): TS.Statement {
  return f.createExpressionStatement(f.createCallExpression(f.createIdentifier(RUNTIME_NAMES.check), undefined, []));
}

/** Adds the interrupt check to loops and functions, and reroutes `import()` / `import.meta`. */
function instrumentTransformer(ts: typeof TS): TS.TransformerFactory<TS.SourceFile> {
  return (ctx) => {
    const f = ctx.factory;
    const withCheck = (body: TS.Statement): TS.Statement =>
      ts.isBlock(body)
        ? f.updateBlock(body, [checkCall(f), ...body.statements])
        : f.createBlock([checkCall(f), body], true);
    const bodyWithCheck = (body: TS.Block): TS.Block => {
      let n = 0;
      while (n < body.statements.length && isPrologue(ts, body.statements[n]!)) n++;
      return f.updateBlock(body, [...body.statements.slice(0, n), checkCall(f), ...body.statements.slice(n)]);
    };

    const visit = (input: TS.Node): TS.Node => {
      const node = ts.visitEachChild(input, visit, ctx);
      if (ts.isForStatement(node))
        return f.updateForStatement(
          node,
          node.initializer,
          node.condition,
          node.incrementor,
          withCheck(node.statement),
        );
      if (ts.isForOfStatement(node))
        return f.updateForOfStatement(
          node,
          node.awaitModifier,
          node.initializer,
          node.expression,
          withCheck(node.statement),
        );
      if (ts.isForInStatement(node))
        return f.updateForInStatement(node, node.initializer, node.expression, withCheck(node.statement));
      if (ts.isWhileStatement(node)) return f.updateWhileStatement(node, node.expression, withCheck(node.statement));
      if (ts.isDoStatement(node)) return f.updateDoStatement(node, withCheck(node.statement), node.expression);
      if (ts.isFunctionDeclaration(node) && node.body)
        return f.updateFunctionDeclaration(
          node,
          node.modifiers,
          node.asteriskToken,
          node.name,
          node.typeParameters,
          node.parameters,
          node.type,
          bodyWithCheck(node.body),
        );
      if (ts.isFunctionExpression(node))
        return f.updateFunctionExpression(
          node,
          node.modifiers,
          node.asteriskToken,
          node.name,
          node.typeParameters,
          node.parameters,
          node.type,
          bodyWithCheck(node.body),
        );
      if (ts.isArrowFunction(node)) {
        const body = ts.isBlock(node.body)
          ? bodyWithCheck(node.body)
          : f.createBlock([checkCall(f), f.createReturnStatement(node.body)]);
        return f.updateArrowFunction(
          node,
          node.modifiers,
          node.typeParameters,
          node.parameters,
          node.type,
          node.equalsGreaterThanToken,
          body,
        );
      }
      if (ts.isMethodDeclaration(node) && node.body)
        return f.updateMethodDeclaration(
          node,
          node.modifiers,
          node.asteriskToken,
          node.name,
          node.questionToken,
          node.typeParameters,
          node.parameters,
          node.type,
          bodyWithCheck(node.body),
        );
      if (ts.isConstructorDeclaration(node) && node.body)
        return f.updateConstructorDeclaration(node, node.modifiers, node.parameters, bodyWithCheck(node.body));
      if (ts.isGetAccessorDeclaration(node) && node.body)
        return f.updateGetAccessorDeclaration(
          node,
          node.modifiers,
          node.name,
          node.parameters,
          node.type,
          bodyWithCheck(node.body),
        );
      if (ts.isSetAccessorDeclaration(node) && node.body)
        return f.updateSetAccessorDeclaration(
          node,
          node.modifiers,
          node.name,
          node.parameters,
          bodyWithCheck(node.body),
        );
      if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword)
        return f.updateCallExpression(node, f.createIdentifier(RUNTIME_NAMES.importModule), undefined, node.arguments);
      if (ts.isMetaProperty(node) && node.keywordToken === ts.SyntaxKind.ImportKeyword)
        return f.createIdentifier(RUNTIME_NAMES.importMeta);
      return node;
    };
    return (sf) => ts.visitEachChild(sf, visit, ctx);
  };
}

function persistDeclarations(
  ts: typeof TS,
  ctx: TS.TransformationContext,
  sf: TS.SourceFile,
  lastOriginal: TS.Statement | undefined,
  declared: Set<string>,
): { sourceFile: TS.SourceFile; hasLastExpression: boolean } {
  const f = ctx.factory;
  const hoisted: TS.Statement[] = [];
  const body: TS.Statement[] = [];
  let moduleCounter = 0;
  let hasLastExpression = false;

  /** `{a, b: [c = 1]}` binding pattern → the equivalent assignment target. */
  const toTarget = (name: TS.BindingName): TS.Expression => {
    if (ts.isIdentifier(name)) {
      declared.add(name.text);
      return f.createIdentifier(name.text);
    }
    if (ts.isObjectBindingPattern(name)) {
      return f.createObjectLiteralExpression(
        name.elements.map((el): TS.ObjectLiteralElementLike => {
          if (el.dotDotDotToken) return f.createSpreadAssignment(toTarget(el.name));
          if (!el.propertyName && ts.isIdentifier(el.name)) {
            declared.add(el.name.text);
            return f.createShorthandPropertyAssignment(el.name.text, el.initializer);
          }
          const target = toTarget(el.name);
          return f.createPropertyAssignment(
            el.propertyName ?? (el.name as TS.Identifier),
            el.initializer ? f.createAssignment(target, el.initializer) : target,
          );
        }),
      );
    }
    return f.createArrayLiteralExpression(
      name.elements.map((el) => {
        if (ts.isOmittedExpression(el)) return el;
        if (el.dotDotDotToken) return f.createSpreadElement(toTarget(el.name));
        const target = toTarget(el.name);
        return el.initializer ? f.createAssignment(target, el.initializer) : target;
      }),
    );
  };

  /** A declaration list as a comma expression of assignments (undefined when nothing to assign). */
  const listToExpression = (list: TS.VariableDeclarationList): TS.Expression | undefined => {
    const isVar = (list.flags & ts.NodeFlags.BlockScoped) === 0;
    const parts: TS.Expression[] = [];
    for (const decl of list.declarations) {
      const target = toTarget(decl.name);
      if (decl.initializer) parts.push(f.createAssignment(target, decl.initializer));
      else if (!isVar && ts.isIdentifier(decl.name)) parts.push(f.createAssignment(target, f.createVoidZero()));
    }
    if (parts.length === 0) return undefined;
    return parts.reduce((a, b) => f.createComma(a, b));
  };

  const isVarList = (n: TS.Node | undefined): n is TS.VariableDeclarationList =>
    !!n && ts.isVariableDeclarationList(n) && (n.flags & ts.NodeFlags.BlockScoped) === 0;

  /** Rewrites `var` declarations nested in top-level blocks/loops (they are global too). */
  const hoistVars = (node: TS.Node): TS.Node | undefined => {
    if (ts.isFunctionLike(node) || ts.isClassLike(node)) return node;
    if (ts.isVariableStatement(node) && isVarList(node.declarationList)) {
      const expr = listToExpression(node.declarationList);
      return expr ? ts.setTextRange(f.createExpressionStatement(expr), node) : f.createEmptyStatement();
    }
    if (ts.isForStatement(node) && isVarList(node.initializer)) {
      return ts.visitEachChild(
        f.updateForStatement(
          node,
          listToExpression(node.initializer),
          node.condition,
          node.incrementor,
          node.statement,
        ),
        hoistVars,
        ctx,
      );
    }
    if ((ts.isForOfStatement(node) || ts.isForInStatement(node)) && isVarList(node.initializer)) {
      const target = toTarget(node.initializer.declarations[0]!.name);
      const updated = ts.isForOfStatement(node)
        ? f.updateForOfStatement(node, node.awaitModifier, target, node.expression, node.statement)
        : f.updateForInStatement(node, target, node.expression, node.statement);
      return ts.visitEachChild(updated, hoistVars, ctx);
    }
    return ts.visitEachChild(node, hoistVars, ctx);
  };

  const withoutExport = (mods: readonly TS.ModifierLike[] | undefined) =>
    mods?.filter((m) => m.kind !== ts.SyntaxKind.ExportKeyword && m.kind !== ts.SyntaxKind.DefaultKeyword);

  const assign = (name: string, value: TS.Expression, range: TS.TextRange): TS.Statement =>
    ts.setTextRange(f.createExpressionStatement(f.createAssignment(f.createIdentifier(name), value)), range);

  const callHelper = (helper: string, args: TS.Expression[]) =>
    f.createCallExpression(f.createIdentifier(helper), undefined, args);

  let inPrologue = true;
  for (const stmt of sf.statements) {
    // TypeScript may add "use strict"; the wrapper has its own.
    if (inPrologue && isPrologue(ts, stmt) && ts.getOriginalNode(stmt) !== lastOriginal) continue;
    inPrologue = false;
    const isLast = lastOriginal !== undefined && ts.getOriginalNode(stmt) === lastOriginal;
    if (ts.isVariableStatement(stmt)) {
      const expr = listToExpression(stmt.declarationList);
      if (expr) body.push(ts.setTextRange(f.createExpressionStatement(expr), stmt));
    } else if (ts.isFunctionDeclaration(stmt) && stmt.body) {
      const fn = f.createFunctionExpression(
        withoutExport(stmt.modifiers) as TS.Modifier[] | undefined,
        stmt.asteriskToken,
        stmt.name,
        undefined,
        stmt.parameters,
        undefined,
        stmt.body,
      );
      if (stmt.name) {
        declared.add(stmt.name.text);
        hoisted.push(assign(stmt.name.text, ts.setTextRange(fn, stmt), stmt));
      } else body.push(ts.setTextRange(f.createExpressionStatement(fn), stmt));
    } else if (ts.isClassDeclaration(stmt)) {
      const cls = ts.setTextRange(
        f.createClassExpression(
          withoutExport(stmt.modifiers),
          stmt.name,
          undefined,
          stmt.heritageClauses,
          stmt.members,
        ),
        stmt,
      );
      if (stmt.name) {
        declared.add(stmt.name.text);
        body.push(assign(stmt.name.text, cls, stmt));
      } else body.push(ts.setTextRange(f.createExpressionStatement(cls), stmt));
    } else if (ts.isImportDeclaration(stmt)) {
      body.push(...rewriteImport(stmt));
    } else if (ts.isExportDeclaration(stmt)) {
    } else if (ts.isExportAssignment(stmt)) {
      body.push(ts.setTextRange(f.createExpressionStatement(stmt.expression), stmt));
    } else if (isLast && ts.isExpressionStatement(stmt)) {
      hasLastExpression = true;
      body.push(
        ts.setTextRange(
          f.createReturnStatement(
            f.createObjectLiteralExpression([f.createPropertyAssignment("value", stmt.expression)]),
          ),
          stmt,
        ),
      );
    } else {
      body.push(hoistVars(stmt) as TS.Statement);
    }
  }

  function rewriteImport(stmt: TS.ImportDeclaration): TS.Statement[] {
    const spec = stmt.moduleSpecifier;
    const load = f.createAwaitExpression(
      callHelper(RUNTIME_NAMES.importModule, [f.createStringLiteral((spec as TS.StringLiteral).text)]),
    );
    const clause = stmt.importClause;
    if (!clause) return [ts.setTextRange(f.createExpressionStatement(load), stmt)];
    const temp = `__deepts_module${moduleCounter++}`;
    const out: TS.Statement[] = [
      ts.setTextRange(
        f.createVariableStatement(
          undefined,
          f.createVariableDeclarationList(
            [f.createVariableDeclaration(temp, undefined, undefined, load)],
            ts.NodeFlags.Const,
          ),
        ),
        stmt,
      ),
    ];
    const ns = f.createIdentifier(temp);
    if (clause.name) {
      declared.add(clause.name.text);
      out.push(assign(clause.name.text, callHelper(RUNTIME_NAMES.importDefault, [ns]), stmt));
    }
    const bindings = clause.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings)) {
      declared.add(bindings.name.text);
      out.push(assign(bindings.name.text, ns, stmt));
    } else if (bindings) {
      for (const el of bindings.elements) {
        if (el.isTypeOnly) continue;
        const imported = (el.propertyName ?? el.name).text;
        declared.add(el.name.text);
        const value =
          imported === "default"
            ? callHelper(RUNTIME_NAMES.importDefault, [ns])
            : callHelper(RUNTIME_NAMES.importNamed, [ns, f.createStringLiteral(imported)]);
        out.push(assign(el.name.text, value, el));
      }
    }
    return out;
  }

  const names = [...declared];
  const prelude: TS.Statement[] = [f.createExpressionStatement(f.createStringLiteral("use strict"))];
  if (names.length > 0) {
    prelude.push(
      f.createExpressionStatement(
        callHelper(RUNTIME_NAMES.declare, [f.createArrayLiteralExpression(names.map((n) => f.createStringLiteral(n)))]),
      ),
    );
  }
  const wrapper = f.createArrowFunction(
    [f.createModifier(ts.SyntaxKind.AsyncKeyword)],
    undefined,
    [],
    undefined,
    f.createToken(ts.SyntaxKind.EqualsGreaterThanToken),
    f.createBlock([...prelude, ...hoisted, ...body], true),
  );
  const run = f.createExpressionStatement(
    f.createCallExpression(f.createParenthesizedExpression(wrapper), undefined, []),
  );
  return { sourceFile: f.updateSourceFile(sf, [run]), hasLastExpression };
}
