/**
 * Prints an AST back as FQL, with parentheses wherever `and` and `or` nest, so the text
 * means the same under our precedence and under Segment's "last operator wins" rule.
 * `parseTrigger(formatTrigger(ast)).ast` deep-equals `ast`.
 */
import type { FieldRef, Literal, TriggerNode } from './ast.ts';

export function formatTrigger(node: TriggerNode): string {
  switch (node.kind) {
    case 'or':
    case 'and':
      return node.children.map((c) => (c.kind === 'or' || c.kind === 'and' ? `(${formatTrigger(c)})` : formatTrigger(c))).join(` ${node.kind} `);
    case 'not':
      return node.operand.kind === 'contains' || node.operand.kind === 'match' || node.operand.kind === 'not'
        ? `!${formatTrigger(node.operand)}`
        : `!(${formatTrigger(node.operand)})`;
    case 'contains':
      return `contains(${formatField(node.field)}, ${formatLiteral(node.value)})`;
    case 'match':
      return `match(${formatField(node.field)}, ${formatLiteral(node.pattern)})`;
    case 'compare':
      return `${formatField(node.field)} ${node.op} ${formatLiteral(node.value)}`;
  }
}

const KEYWORDS = new Set(['and', 'or', 'true', 'false', 'null', 'contains', 'match', 'not', 'in']);

export function formatField(field: FieldRef): string {
  return field.path
    .map((segment, i) => {
      const escaped = segment.replace(/[^A-Za-z0-9_$-]/gu, (ch) => '\\' + ch);
      // A word may not start with a digit or '-', and a lone keyword needs an escape to read as a field.
      const needsLead = i === 0 && (/^[0-9-]/.test(escaped) || (field.path.length === 1 && KEYWORDS.has(segment)));
      return needsLead ? '\\' + escaped : escaped;
    })
    .join('.');
}

export function formatLiteral(value: Literal): string {
  if (typeof value !== 'string') return String(value);
  return '"' + value.replace(/[\\"\u0000-\u001f\u2028\u2029]/g, (ch) => {
    if (ch === '\\' || ch === '"') return '\\' + ch;
    return '\\u' + ch.charCodeAt(0).toString(16).padStart(4, '0');
  }) + '"';
}
