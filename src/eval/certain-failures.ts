/**
 * The one check that refuses a JavaScript cell: a name that the cell certainly reads (or assigns)
 * although nothing defines it, which would throw a ReferenceError when the cell runs.
 *
 * "Certainly" means: on a path that always runs — the cell's top level and the top-level blocks
 * in it, outside functions, class bodies, branches, loop bodies, `try` blocks, the right side of
 * `&&`/`||`/`??` and anything after `?.`; `typeof name` never throws. "Nothing defines it":
 * not a declaration of the cell (nor of a block the read is in), not a property of `globalThis`
 * when the cell starts (earlier cells, residents and built-ins all are), and the name appears
 * nowhere else in the cell, not even in a string or a comment (a cell that writes
 * `globalThis["x"] = …` first is not refused).
 */
import type TS from "typescript";
import { parseCell } from "./cell-mode.js";
import { suggestName } from "./suggest.js";

export interface UnboundName {
  name: string;
  /** Offset of the reference in the cell. */
  start: number;
  /** A known name of similar spelling, if there is one. */
  suggestion?: string;
}

export function findUnboundNames(
  ts: typeof TS,
  code: string,
  isGlobal: (name: string) => boolean,
  knownNames: () => Iterable<string> = () => [],
): UnboundName[] {
  const sf = parseCell(ts, code, true);
  const cellNames = topLevelNames(ts, sf);
  const scopes: Set<string>[] = [cellNames];
  const refs: { name: string; start: number }[] = [];
  const bound = (name: string) => scopes.some((s) => s.has(name)) || isGlobal(name);

  const visitExpression = (node: TS.Node | undefined): void => {
    if (!node) return;
    if (ts.isIdentifier(node)) {
      if (!bound(node.text) && node.text !== "arguments") refs.push({ name: node.text, start: node.getStart(sf) });
      return;
    }
    if (ts.isFunctionLike(node) || ts.isClassLike(node)) return;
    if (ts.isTypeOfExpression(node) && ts.isIdentifier(skipParens(ts, node.expression))) return;
    if (ts.isDeleteExpression(node)) return;
    if (ts.isConditionalExpression(node)) return visitExpression(node.condition);
    if (ts.isBinaryExpression(node) && isShortCircuit(ts, node.operatorToken.kind)) return visitExpression(node.left);
    if (ts.isPropertyAccessExpression(node))
      return node.questionDotToken ? undefined : visitExpression(node.expression);
    if ((ts.isElementAccessExpression(node) || ts.isCallExpression(node)) && node.questionDotToken)
      return visitExpression(node.expression);
    if (ts.isCallExpression(node) && ts.isOptionalChain(node.expression)) return visitExpression(node.expression);
    if (ts.isPropertyAssignment(node)) {
      if (ts.isComputedPropertyName(node.name)) visitExpression(node.name.expression);
      return visitExpression(node.initializer);
    }
    if (ts.isShorthandPropertyAssignment(node)) return visitExpression(node.name);
    if (ts.isMetaProperty(node) || ts.isTypeNode(node)) return;
    ts.forEachChild(node, visitExpression);
  };

  const visitStatement = (node: TS.Statement): void => {
    if (ts.isExpressionStatement(node)) visitExpression(node.expression);
    else if (ts.isVariableStatement(node)) {
      for (const d of node.declarationList.declarations) visitExpression(d.initializer);
    } else if (ts.isBlock(node)) {
      scopes.push(blockNames(ts, node.statements));
      for (const s of node.statements) visitStatement(s);
      scopes.pop();
    } else if (ts.isIfStatement(node) || ts.isWhileStatement(node)) visitExpression(node.expression);
    else if (ts.isSwitchStatement(node)) visitExpression(node.expression);
    else if (ts.isForOfStatement(node) || ts.isForInStatement(node)) visitExpression(node.expression);
    else if (ts.isForStatement(node)) {
      const init = node.initializer;
      const names = new Set<string>();
      if (init && ts.isVariableDeclarationList(init)) {
        for (const d of init.declarations) bindingNames(ts, d.name, names);
      }
      scopes.push(names);
      if (init && ts.isVariableDeclarationList(init)) for (const d of init.declarations) visitExpression(d.initializer);
      else visitExpression(init);
      visitExpression(node.condition);
      scopes.pop();
    } else if (ts.isLabeledStatement(node)) visitStatement(node.statement);
    else if (ts.isThrowStatement(node)) visitExpression(node.expression);
    else if (ts.isClassDeclaration(node)) {
      for (const h of node.heritageClauses ?? []) for (const t of h.types) visitExpression(t.expression);
    }
  };

  for (const s of sf.statements) visitStatement(s);
  if (refs.length === 0) return [];

  // A name mentioned anywhere else in the cell (a string, a property, a comment) may be defined
  // by the cell in a way this analysis does not follow: not certain.
  const counts = new Map<string, number>();
  for (const r of refs) counts.set(r.name, (counts.get(r.name) ?? 0) + 1);
  const certain = refs.filter((r) => wordCount(code, r.name) === counts.get(r.name));
  if (certain.length === 0) return [];
  const candidates = [...cellNames, ...knownNames()];
  return certain.map((r) => {
    const suggestion = suggestName(r.name, candidates);
    return suggestion ? { ...r, suggestion } : r;
  });
}

function skipParens(ts: typeof TS, node: TS.Expression): TS.Expression {
  while (ts.isParenthesizedExpression(node)) node = node.expression;
  return node;
}

function isShortCircuit(ts: typeof TS, kind: TS.SyntaxKind): boolean {
  const K = ts.SyntaxKind;
  return (
    kind === K.AmpersandAmpersandToken ||
    kind === K.BarBarToken ||
    kind === K.QuestionQuestionToken ||
    kind === K.AmpersandAmpersandEqualsToken ||
    kind === K.BarBarEqualsToken ||
    kind === K.QuestionQuestionEqualsToken
  );
}

function wordCount(code: string, name: string): number {
  const escaped = name.replace(/[$]/g, "\\$");
  return code.match(new RegExp(`(?<![\\w$])${escaped}(?![\\w$])`, "g"))?.length ?? 0;
}

function bindingNames(ts: typeof TS, name: TS.BindingName, out: Set<string>): void {
  if (ts.isIdentifier(name)) out.add(name.text);
  else for (const el of name.elements) if (!ts.isOmittedExpression(el)) bindingNames(ts, el.name, out);
}

/** Names a block declares for its own statements (let, const, class, function). */
function blockNames(ts: typeof TS, statements: readonly TS.Statement[]): Set<string> {
  const out = new Set<string>();
  for (const s of statements) {
    if (ts.isVariableStatement(s)) for (const d of s.declarationList.declarations) bindingNames(ts, d.name, out);
    else if ((ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s)) && s.name) out.add(s.name.text);
  }
  return out;
}

/** Everything the cell declares at top level, imports included, and `var`s anywhere outside functions. */
function topLevelNames(ts: typeof TS, sf: TS.SourceFile): Set<string> {
  const out = blockNames(ts, sf.statements);
  const vars = (node: TS.Node): void => {
    if (ts.isFunctionLike(node) || ts.isClassLike(node)) return;
    if (ts.isVariableDeclarationList(node) && (node.flags & ts.NodeFlags.BlockScoped) === 0) {
      for (const d of node.declarations) bindingNames(ts, d.name, out);
    }
    ts.forEachChild(node, vars);
  };
  for (const s of sf.statements) {
    if (ts.isImportDeclaration(s)) {
      const clause = s.importClause;
      if (clause?.name) out.add(clause.name.text);
      const nb = clause?.namedBindings;
      if (nb && ts.isNamespaceImport(nb)) out.add(nb.name.text);
      else if (nb) for (const el of nb.elements) out.add(el.name.text);
    } else vars(s);
  }
  return out;
}
