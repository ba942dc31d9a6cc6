/**
 * Whether a console cell is ready to run (Jupyter is_complete_request): "incomplete" while
 * brackets, strings, template literals or comments are open or the code ends in an operator that
 * needs an operand; "invalid" for syntax that more lines cannot fix; else "complete".
 */
import type TS from "typescript";
import type { IsCompleteResult } from "./api.js";

const INDENT = "  ";

export function checkCompleteness(ts: typeof TS, code: string): IsCompleteResult {
  const K = ts.SyntaxKind;
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, false, ts.LanguageVariant.Standard, code);
  /** Open brackets; "${" marks a template substitution. */
  const stack: string[] = [];
  const closers: Record<string, string> = { "{": "}", "(": ")", "[": "]", "${": "}" };
  let last: TS.SyntaxKind = K.Unknown;
  let token = scanner.scan();
  while (token !== K.EndOfFileToken) {
    if (scanner.isUnterminated()) return { status: "incomplete", indent: "" };
    if (isTrivia(ts, token)) {
      token = scanner.scan();
      continue;
    }
    switch (token) {
      case K.OpenBraceToken:
        stack.push("{");
        break;
      case K.OpenParenToken:
        stack.push("(");
        break;
      case K.OpenBracketToken:
        stack.push("[");
        break;
      case K.TemplateHead:
        stack.push("${");
        break;
      case K.CloseBraceToken:
      case K.CloseParenToken:
      case K.CloseBracketToken: {
        if (token === K.CloseBraceToken && stack.at(-1) === "${") {
          token = scanner.reScanTemplateToken(false);
          if (scanner.isUnterminated()) return { status: "incomplete", indent: "" };
          if (token === K.TemplateTail) stack.pop();
          break;
        }
        const open = stack.pop();
        const text = scanner.getTokenText();
        if (open === undefined || closers[open] !== text) return { status: "invalid" };
        break;
      }
      case K.SlashToken:
      case K.SlashEqualsToken:
        if (!endsExpression(ts, last)) {
          token = scanner.reScanSlashToken();
          if (scanner.isUnterminated()) return { status: "invalid" };
        }
        break;
    }
    last = token;
    token = scanner.scan();
  }
  const depth = stack.filter((s) => s !== "${").length;
  if (stack.length > 0) return { status: "incomplete", indent: INDENT.repeat(depth) };
  if (code.trim() === "") return { status: "complete" };
  if (needsOperand(ts, last)) return { status: "incomplete", indent: INDENT };
  const sf = ts.createSourceFile("cell.ts", code, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const parseErrors = (sf as unknown as { parseDiagnostics?: TS.DiagnosticWithLocation[] }).parseDiagnostics ?? [];
  if (parseErrors.length === 0) return { status: "complete" };
  // An error only at the very end (`if (x)`, `class A extends`) is something more lines can finish.
  const end = code.trimEnd().length;
  return parseErrors.every((d) => d.start >= end) ? { status: "incomplete", indent: INDENT } : { status: "invalid" };
}

function isTrivia(ts: typeof TS, kind: TS.SyntaxKind): boolean {
  const K = ts.SyntaxKind;
  return (
    kind === K.WhitespaceTrivia ||
    kind === K.NewLineTrivia ||
    kind === K.SingleLineCommentTrivia ||
    kind === K.MultiLineCommentTrivia ||
    kind === K.ShebangTrivia ||
    kind === K.ConflictMarkerTrivia
  );
}

function endsExpression(ts: typeof TS, kind: TS.SyntaxKind): boolean {
  const K = ts.SyntaxKind;
  return (
    kind === K.Identifier ||
    kind === K.NumericLiteral ||
    kind === K.StringLiteral ||
    kind === K.BigIntLiteral ||
    kind === K.CloseParenToken ||
    kind === K.CloseBracketToken ||
    kind === K.CloseBraceToken ||
    kind === K.NoSubstitutionTemplateLiteral ||
    kind === K.TemplateTail ||
    kind === K.ThisKeyword ||
    kind === K.TrueKeyword ||
    kind === K.FalseKeyword ||
    kind === K.NullKeyword ||
    kind === K.PlusPlusToken ||
    kind === K.MinusMinusToken ||
    kind === K.RegularExpressionLiteral
  );
}

/** Tokens after which a statement cannot end: binary/assignment operators, `.`, `,`, `=>`, `?`, `:`. */
function needsOperand(ts: typeof TS, kind: TS.SyntaxKind): boolean {
  const K = ts.SyntaxKind;
  if (kind >= K.FirstAssignment && kind <= K.LastAssignment) return true;
  if (kind >= K.FirstBinaryOperator && kind <= K.LastBinaryOperator) {
    return kind !== K.PlusPlusToken && kind !== K.MinusMinusToken && kind !== K.GreaterThanToken;
  }
  return (
    kind === K.DotToken ||
    kind === K.CommaToken ||
    kind === K.EqualsGreaterThanToken ||
    kind === K.QuestionToken ||
    kind === K.ColonToken
  );
}
