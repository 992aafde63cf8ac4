import ts from 'typescript';

/**
 * Finds SQL built as text in TypeScript source: the places where a value could be spliced
 * into a statement outside Kysely's `sql` tag, whose `${…}` become bind parameters.
 *
 * - `template`: a template literal with `${…}` that reads like SQL and is not tagged `sql`;
 * - `concatenation`: a `+` chain joining text that reads like SQL with anything not constant;
 * - `raw`: `sql.raw(…)` / `sql.lit(…)` with anything but a string literal;
 * - `query-call`: `.query(…)` / `.exec(…)` called with a template or a concatenation.
 */
export interface SqlTextFinding {
  readonly file: string;
  readonly line: number;
  readonly kind: 'template' | 'concatenation' | 'raw' | 'query-call';
  /** The expression's source text. */
  readonly text: string;
}

// A statement: a verb, then a clause word — at the start of the text, or anywhere in capitals.
const SQL_STATEMENT =
  /^[\s(\u2423]*(select|insert|update|delete|copy|create|drop|alter|truncate|grant|with)\b[\s\S]*?\b(from|into|set|table|where|values|stdin|stdout|index|returning|join|as)\b/i;
const SQL_CAPITALS =
  /\b(SELECT|INSERT|UPDATE|DELETE|COPY|CREATE|DROP|ALTER|TRUNCATE|GRANT|WITH)\b[\s\S]*?\b(FROM|INTO|SET|TABLE|WHERE|VALUES|STDIN|STDOUT|INDEX|RETURNING|JOIN)\b/;
// A value spliced into an SQL string literal: `= '${x}'`, `'${x}'::type`.
const QUOTED_VALUE = /(=|<|>|\blike|\bin\s*\()\s*'\u2423'|'\u2423'::/i;

/** Whether literal text (`\u2423` standing for each `${…}`) reads like SQL. */
export function looksLikeSql(text: string): boolean {
  return SQL_STATEMENT.test(text) || SQL_CAPITALS.test(text) || QUOTED_VALUE.test(text);
}

function isSqlTag(tag: ts.Expression): boolean {
  return ts.isIdentifier(tag) && tag.text === 'sql';
}

function templateText(node: ts.TemplateExpression): string {
  return node.head.text + node.templateSpans.map((s) => `\u2423${s.literal.text}`).join('');
}

/** The operands of a `+` chain, left to right. */
function plusOperands(node: ts.Expression): ts.Expression[] {
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    return [...plusOperands(node.left), ...plusOperands(node.right)];
  }
  if (ts.isParenthesizedExpression(node)) return plusOperands(node.expression);
  return [node];
}

const isConstantText = (n: ts.Node) => ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n);

/** Scans one source file's text. */
export function scanSqlText(file: string, source: string): SqlTextFinding[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const findings: SqlTextFinding[] = [];
  const add = (node: ts.Node, kind: SqlTextFinding['kind']) =>
    findings.push({ file, line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1, kind, text: node.getText(sf) });

  const visit = (node: ts.Node): void => {
    if (ts.isTemplateExpression(node)) {
      const tagged = ts.isTaggedTemplateExpression(node.parent) && isSqlTag(node.parent.tag);
      if (!tagged && looksLikeSql(templateText(node))) add(node, 'template');
    }
    if (
      ts.isBinaryExpression(node) &&
      node.operatorToken.kind === ts.SyntaxKind.PlusToken &&
      !(ts.isBinaryExpression(node.parent) && node.parent.operatorToken.kind === ts.SyntaxKind.PlusToken)
    ) {
      const operands = plusOperands(node);
      const literal = operands
        .map((o) => (isConstantText(o) ? (o as ts.StringLiteral).text : ts.isTemplateExpression(o) ? templateText(o) : '\u2423'))
        .join('');
      if (operands.some((o) => !isConstantText(o)) && looksLikeSql(literal)) add(node, 'concatenation');
    }
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const { expression: target, name } = node.expression;
      const arg = node.arguments[0];
      if (ts.isIdentifier(target) && target.text === 'sql' && (name.text === 'raw' || name.text === 'lit')) {
        if (!arg || !isConstantText(arg)) add(node, 'raw');
      }
      if ((name.text === 'query' || name.text === 'exec') && arg) {
        const built = ts.isTemplateExpression(arg) || (ts.isBinaryExpression(arg) && arg.operatorToken.kind === ts.SyntaxKind.PlusToken);
        if (built) add(node, 'query-call');
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return findings;
}
