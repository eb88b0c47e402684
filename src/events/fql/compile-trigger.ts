/**
 * Turns a trigger's AST into one closure, once, at load. Per event it only reads the
 * fields the trigger names and compares them: no tree walking, no allocation.
 */
import type { CompareOp, Literal, TriggerNode } from './ast.ts';
import { compileGetter } from './compile-getter.ts';
import { compileGlob } from './compile-glob.ts';
import { equalsLiteral, numericValue } from './compare-values.ts';

export type EventPredicate = (event: unknown) => boolean;

export function compileTrigger(node: TriggerNode): EventPredicate {
  switch (node.kind) {
    case 'or':
      return anyOf(node.children.map(compileTrigger));
    case 'and':
      return allOf(node.children.map(compileTrigger));
    case 'not': {
      const inner = compileTrigger(node.operand);
      return (event) => !inner(event);
    }
    case 'contains': {
      const get = compileGetter(node.field.path);
      const needle = node.value;
      return (event) => {
        const v = get(event);
        return typeof v === 'string' && v.includes(needle);
      };
    }
    case 'match': {
      const get = compileGetter(node.field.path);
      const test = compileGlob(node.pattern);
      return (event) => {
        const v = get(event);
        return typeof v === 'string' && test(v);
      };
    }
    case 'compare':
      return compileCompare(compileGetter(node.field.path), node.op, node.value);
  }
}

function compileCompare(get: (e: unknown) => unknown, op: CompareOp, value: Literal): EventPredicate {
  if (op === '=' || op === '!=') {
    const positive: EventPredicate =
      value === null
        ? (event) => {
            const v = get(event);
            return v === undefined || v === null;
          }
        : (event) => equalsLiteral(get(event), value);
    return op === '=' ? positive : (event) => !positive(event);
  }
  const n = value as number;
  switch (op) {
    case '<':
      return (event) => numericValue(get(event)) < n;
    case '<=':
      return (event) => numericValue(get(event)) <= n;
    case '>':
      return (event) => numericValue(get(event)) > n;
    case '>=':
      return (event) => numericValue(get(event)) >= n;
  }
}

function anyOf(preds: EventPredicate[]): EventPredicate {
  if (preds.length === 1) return preds[0];
  if (preds.length === 2) {
    const [a, b] = preds;
    return (event) => a(event) || b(event);
  }
  return (event) => {
    for (let i = 0; i < preds.length; i++) if (preds[i](event)) return true;
    return false;
  };
}

function allOf(preds: EventPredicate[]): EventPredicate {
  if (preds.length === 1) return preds[0];
  if (preds.length === 2) {
    const [a, b] = preds;
    return (event) => a(event) && b(event);
  }
  return (event) => {
    for (let i = 0; i < preds.length; i++) if (!preds[i](event)) return false;
    return true;
  };
}
