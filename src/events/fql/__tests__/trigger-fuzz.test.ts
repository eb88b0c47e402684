/**
 * Property-based tests: whatever text arrives, parseTrigger either returns a Trigger or
 * throws a TriggerSyntaxError pointing inside the text; generated triggers survive a
 * print/parse round trip; the compiled closure agrees with the reference interpreter.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseTrigger } from '../parse-trigger.ts';
import { TriggerSyntaxError } from '../trigger-syntax-error.ts';
import { evaluateTrigger } from '../evaluate-trigger.ts';
import { compileTrigger } from '../compile-trigger.ts';
import { formatTrigger } from '../format-trigger.ts';
import { compileGlob } from '../compile-glob.ts';
import type { CompareOp, TriggerNode } from '../ast.ts';

const RUNS = { numRuns: 300 };

/** Either a trigger, or a syntax error whose position lies within the text (or just past its end). */
function parsesOrFailsCleanly(source: string): void {
  try {
    const trigger = parseTrigger(source);
    assert.equal(typeof trigger.matches({ type: 'track' }), 'boolean');
  } catch (err) {
    if (!(err instanceof TriggerSyntaxError)) throw err;
    assert.ok(err.offset >= 0 && err.offset <= source.length, `offset ${err.offset} outside 0..${source.length}`);
    assert.ok(err.column >= 1 && err.column <= [...source].length + 1, `column ${err.column} out of range`);
    assert.ok(err.line >= 1 && err.line <= source.split('\n').length, `line ${err.line} out of range`);
    assert.ok(err.message.includes('^'));
  }
}

const FQL_CHARS = [...'abcdefghijklmnopqrstuvwxyz.ABZ_-$019 ()!=<>,"\'\\*?[]\n\t&|#@é😀'];
const TOKENS = [
  'type', 'event', 'properties.plan', 'context.page.url', 'traits.email', 'a\\ b', 'and', 'or', 'not', 'in',
  'AND', '!', '(', ')', ',', '=', '!=', '<', '<=', '>', '>=', '==', '"track"', "'x'", '"a*"', '"[a"', '"\\q"', '"',
  '5', '-1.5', '1e3', '5x', 'true', 'false', 'null', 'contains', 'match', 'length', '[', ']', '.', '\\', '&&',
];

describe('parseTrigger on arbitrary input', () => {
  test('random text: a Trigger or a TriggerSyntaxError with a position inside the text', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 80 }), parsesOrFailsCleanly), RUNS);
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom(...FQL_CHARS), maxLength: 80 }), parsesOrFailsCleanly), RUNS);
  });

  test('random token sequences: same guarantee', () => {
    const sequences = fc.array(fc.constantFrom(...TOKENS), { maxLength: 30 }).map((tokens) => tokens.join(' '));
    fc.assert(fc.property(sequences, parsesOrFailsCleanly), RUNS);
    // Without spaces, tokens run into each other and exercise the lexer's boundaries.
    fc.assert(fc.property(fc.array(fc.constantFrom(...TOKENS), { maxLength: 30 }).map((t) => t.join('')), parsesOrFailsCleanly), RUNS);
  });

  test('deep nesting of any kind is refused with a syntax error', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('(', '!', '!('), { minLength: 70, maxLength: 3000 }), (openers) => {
        const source = openers.join('') + 'type = "a"' + ')'.repeat(openers.filter((o) => o.includes('(')).length);
        assert.throws(() => parseTrigger(source), (err: unknown) => err instanceof TriggerSyntaxError && /nested more than/.test(err.reason));
      }),
      { numRuns: 50 },
    );
  });
});

// ---- generated triggers ----

const SEGMENTS = ['type', 'event', 'properties', 'traits', 'plan', 'n', 'tags', '0', 'a b', 'x.y', 'null', 'é'];
const fieldArb = fc.array(fc.constantFrom(...SEGMENTS), { minLength: 1, maxLength: 3 }).map((path) => ({ path }));
const TEXTS = ['track', 'page', 'pro', 'Pro', '5', '', 'a*b', 'x"y', 'back\\slash', '😀'];
const literalArb = fc.oneof(fc.constantFrom(...TEXTS), fc.constantFrom(0, 5, -1.5, 1e21), fc.boolean(), fc.constant(null));
const GLOBS = ['*', 'tr*', '*ck', '*ac*', 'p?ge', '[pt]*', '[!p]*', 'a\\*b', '', 'pro'];

const nodeArb: fc.Arbitrary<TriggerNode> = fc.letrec<{ node: TriggerNode }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ kind: fc.constant('compare' as const), field: fieldArb, op: fc.constantFrom<CompareOp>('=', '!='), value: literalArb }),
    fc.record({ kind: fc.constant('compare' as const), field: fieldArb, op: fc.constantFrom<CompareOp>('<', '<=', '>', '>='), value: fc.constantFrom(0, 5, -1.5) }),
    fc.record({ kind: fc.constant('contains' as const), field: fieldArb, value: fc.constantFrom(...TEXTS) }),
    fc.record({ kind: fc.constant('match' as const), field: fieldArb, pattern: fc.constantFrom(...GLOBS) }),
    fc.record({ kind: fc.constant('not' as const), operand: tie('node') }),
    fc.record({ kind: fc.constantFrom('and' as const, 'or' as const), children: fc.array(tie('node'), { minLength: 2, maxLength: 4 }) }),
  ),
})).node;

const VALUES = ['track', 'page', 'pro', 'Pro', '5', 5, 0, -1.5, '-1.5', true, 'true', null, '', 'a*b', 'axb', '😀'];
const valueArb: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom(...VALUES),
    fc.dictionary(fc.constantFrom(...SEGMENTS), tie('v'), { maxKeys: 4 }),
    fc.array(tie('v'), { maxLength: 3 }),
  ),
})).v;

describe('generated triggers', () => {
  test('print and parse back to the same AST, with no warnings', () => {
    fc.assert(
      fc.property(nodeArb, (ast) => {
        const printed = formatTrigger(ast);
        const trigger = parseTrigger(printed);
        assert.deepEqual(trigger.ast, normalise(ast));
        assert.deepEqual(trigger.warnings, []);
      }),
      RUNS,
    );
  });

  test('the compiled closure agrees with the reference interpreter on any event', () => {
    fc.assert(
      fc.property(nodeArb, fc.array(valueArb, { minLength: 1, maxLength: 5 }), (ast, events) => {
        const compiled = compileTrigger(ast);
        for (const event of events) assert.equal(compiled(event), evaluateTrigger(ast, event));
      }),
      RUNS,
    );
  });
});

/** The parser folds `-0` into 0 like any number; everything else must come back unchanged. */
function normalise(node: TriggerNode): TriggerNode {
  return JSON.parse(JSON.stringify(node));
}

describe('compileGlob', () => {
  /** A reference built on RegExp, fine for the tiny patterns generated here. */
  function reference(pattern: string, text: string): boolean {
    let re = '';
    for (let i = 0; i < pattern.length; i++) {
      const ch = pattern[i];
      if (ch === '*') re += '[\\s\\S]*';
      else if (ch === '?') re += '[\\s\\S]';
      else if (ch === '\\') re += pattern[++i].replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      else re += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    }
    return new RegExp(`^${re}$`, 'u').test(text);
  }
  test('agrees with a regular-expression reference', () => {
    const pattern = fc.array(fc.constantFrom('a', 'b', '*', '?', '\\*', 'ab'), { maxLength: 8 }).map((p) => p.join(''));
    const text = fc.string({ unit: fc.constantFrom('a', 'b', '*'), maxLength: 12 });
    fc.assert(fc.property(pattern, text, (p, t) => assert.equal(compileGlob(p)(t), reference(p, t), `${p} on ${t}`)), RUNS);
  });
  test('a pathological pattern stays fast (no exponential backtracking)', () => {
    const match = compileGlob('*a*a*a*a*a*a*a*a*a*a*a*a*b');
    assert.equal(match('a'.repeat(5000)), false);
  });
});
