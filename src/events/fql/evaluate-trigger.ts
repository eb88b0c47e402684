/**
 * Evaluates an AST directly, without compiling. Slower than `compileTrigger`, but short
 * enough to read as the definition of what a trigger means; the tests check that both
 * always agree.
 */
import type { TriggerNode } from './ast.ts';
import { compileGlob } from './compile-glob.ts';
import { equalsLiteral, numericValue } from './compare-values.ts';

export function evaluateTrigger(node: TriggerNode, event: unknown): boolean {
  switch (node.kind) {
    case 'or':
      return node.children.some((child) => evaluateTrigger(child, event));
    case 'and':
      return node.children.every((child) => evaluateTrigger(child, event));
    case 'not':
      return !evaluateTrigger(node.operand, event);
    case 'contains': {
      const v = lookup(event, node.field.path);
      return typeof v === 'string' && v.includes(node.value);
    }
    case 'match': {
      const v = lookup(event, node.field.path);
      return typeof v === 'string' && compileGlob(node.pattern)(v);
    }
    case 'compare': {
      const v = lookup(event, node.field.path);
      switch (node.op) {
        case '=':
          return equalsLiteral(v, node.value);
        case '!=':
          return !equalsLiteral(v, node.value);
        case '<':
          return numericValue(v) < (node.value as number);
        case '<=':
          return numericValue(v) <= (node.value as number);
        case '>':
          return numericValue(v) > (node.value as number);
        case '>=':
          return numericValue(v) >= (node.value as number);
      }
    }
  }
}

/** Own properties of objects and arrays only, step by step. */
function lookup(root: unknown, path: readonly string[]): unknown {
  let v: unknown = root;
  for (const key of path) {
    if (v === null || typeof v !== 'object' || !Object.hasOwn(v, key)) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}
