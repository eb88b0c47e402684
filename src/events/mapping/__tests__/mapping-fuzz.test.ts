/**
 * Property-based tests: any directive-like value either compiles or is rejected with a
 * MappingError; compiled mappings never throw on any JSON event and only produce clean
 * JSON; `@path` and `@template` read exactly what a straightforward lookup reads.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compileMapping, compileMappingValue } from '../compile-mapping.ts';
import { MappingError } from '../mapping-error.ts';
import { DIRECTIVE_NAMES } from '../directives.ts';
import { toText } from '../compile-template.ts';

const RUNS = { numRuns: 300 };

const OPTION_KEYS = [
  'exists', 'blank', 'then', 'else', 'operator', 'value', 'pattern', 'replacement', 'pattern2', 'replacement2',
  'ignorecase', 'global', 'objects', 'direction', 'separator', 'omitArrays', 'mode', '_metadata',
];
const EVENT_KEYS = ['type', 'userId', 'traits', 'properties', 'context', 'a', 'b', '0', '1', 'a b', '__proto__', 'constructor', 'length'];
const STRINGS = [
  '$.a', '$.a.b', '$.traits', '$', '$.', '', '$a', '$.a..b', '$.a[0]', '$.a["b.c"]', '$.a[', 'a.b', '$.0.1',
  '{{a}}', '{{a.b}} {{b}}', '{{', '{{ }}', 'lower', 'upper', 'left', 'right', 'encode', 'decode', '.', '-', 'x',
];

const keyArb = fc.oneof(fc.constantFrom(...DIRECTIVE_NAMES, '@pth', '@Path', ...OPTION_KEYS, ...EVENT_KEYS), fc.string({ maxLength: 6 }));
const scalarArb = fc.oneof(fc.constantFrom(...STRINGS), fc.string({ maxLength: 8 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null));

/** Anything shaped like a mapping: mostly invalid, sometimes valid, never only one or the other. */
const mappingLikeArb: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalarArb,
    fc.array(tie('v'), { maxLength: 4 }),
    fc.dictionary(keyArb, tie('v'), { maxKeys: 4 }),
    fc.record({ k: fc.constantFrom(...DIRECTIVE_NAMES), v: tie('v') }).map(({ k, v }) => ({ [k]: v })),
  ),
})).v;

/** JSON events, including own `__proto__` keys as JSON.parse creates them. */
const eventArb: fc.Arbitrary<unknown> = fc
  .letrec<{ v: unknown }>((tie) => ({
    v: fc.oneof(
      { depthSize: 'small' },
      fc.oneof(fc.string({ maxLength: 6 }), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null)),
      fc.array(tie('v'), { maxLength: 3 }),
      fc.dictionary(fc.oneof(fc.constantFrom(...EVENT_KEYS), fc.string({ maxLength: 4 })), tie('v'), { maxKeys: 5 }),
    ),
  }))
  .v.map((v) => JSON.parse(JSON.stringify(v ?? null)));

/** No undefined, functions, NaN or Infinity anywhere; objects are plain. */
function assertCleanJson(value: unknown, where = '$'): void {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return;
    case 'number':
      assert.ok(Number.isFinite(value), `${where} is ${value}`);
      return;
    case 'object':
      if (value === null) return;
      if (Array.isArray(value)) {
        value.forEach((item, i) => assertCleanJson(item, `${where}[${i}]`));
        return;
      }
      assert.equal(Object.getPrototypeOf(value), Object.prototype, `${where} is not a plain object`);
      for (const key of Object.keys(value)) assertCleanJson((value as Record<string, unknown>)[key], `${where}.${key}`);
      return;
    default:
      assert.fail(`${where} is ${typeof value}`);
  }
}

function assertNoPollution(): void {
  assert.deepEqual(Object.getOwnPropertyNames(Object.prototype).sort(), PROTO_NAMES);
}
const PROTO_NAMES = Object.getOwnPropertyNames(Object.prototype).sort();

describe('compiling arbitrary directive-like values', () => {
  test('gives a mapping or a MappingError naming where, never anything else', () => {
    let compiled = 0;
    fc.assert(
      fc.property(fc.dictionary(keyArb, mappingLikeArb, { maxKeys: 5 }), fc.array(eventArb, { minLength: 1, maxLength: 3 }), (fields, events) => {
        let map;
        try {
          map = compileMapping(fields, 'fields');
        } catch (err) {
          if (!(err instanceof MappingError)) throw err;
          assert.ok(err.issues.length > 0);
          for (const issue of err.issues) {
            assert.ok(issue.at.startsWith('fields'), issue.at);
            assert.ok(issue.message.length > 0);
          }
          return;
        }
        compiled++;
        for (const event of events) assertCleanJson(map(event));
        assertNoPollution();
      }),
      RUNS,
    );
    assert.ok(compiled > 10, `only ${compiled} generated mappings compiled; the generator needs more valid shapes`);
  });
});

// ---- valid mappings ----

const pathArb = fc.array(fc.constantFrom('a', 'b', 'traits', 'properties', '0', '1', 'a b', '__proto__', 'length'), { maxLength: 3 }).map((p) => '$' + p.map((k) => `.${k}`).join(''));

const validArb: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.oneof(fc.string({ maxLength: 5 }), fc.integer(), fc.boolean(), fc.constant(null)),
    pathArb.map((p) => ({ '@path': p })),
    fc.array(pathArb, { maxLength: 3 }).map((ps) => ({ '@template': ps.map((p) => `x{{${p}}}`).join(' ') })),
    tie('v').map((v) => ({ '@literal': v })),
    fc.record({ c: fc.constantFrom('exists', 'blank'), test: tie('v'), then: tie('v'), else: tie('v') }).map(({ c, test, then, else: e }) => ({ '@if': { [c]: test, then, else: e } })),
    fc.record({ p: pathArb, shape: fc.dictionary(fc.constantFrom('x', 'y'), tie('v'), { minKeys: 1, maxKeys: 2 }) }).map(({ p, shape }) => ({ '@arrayPath': [p, shape] })),
    fc.record({ operator: fc.constantFrom('lower', 'upper'), value: tie('v') }).map((o) => ({ '@case': o })),
    fc.record({ pattern: fc.string({ minLength: 1, maxLength: 2 }), replacement: fc.string({ maxLength: 2 }), value: tie('v'), ignorecase: fc.boolean(), global: fc.boolean() }).map((o) => ({ '@replace': o })),
    fc.record({ objects: fc.array(tie('v'), { maxLength: 3 }), direction: fc.constantFrom('left', 'right') }).map((o) => ({ '@merge': o })),
    fc.record({ value: tie('v'), separator: fc.constantFrom('.', '_', '/'), omitArrays: fc.boolean() }).map((o) => ({ '@flatten': o })),
    fc.record({ value: tie('v'), mode: fc.constantFrom('encode', 'decode') }).map((o) => ({ '@json': o })),
    tie('v').map((v) => ({ '@excludeWhenNull': v })),
    fc.dictionary(fc.constantFrom('x', 'y', 'z'), tie('v'), { maxKeys: 3 }),
    fc.array(tie('v'), { maxLength: 3 }),
  ),
})).v;

describe('valid mappings', () => {
  test('always compile, and never throw or leak non-JSON on any event', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom('f', 'g', 'h'), validArb, { maxKeys: 3 }), fc.array(eventArb, { minLength: 1, maxLength: 4 }), (fields, events) => {
        const map = compileMapping(fields);
        for (const event of events) {
          const out = map(event);
          assertCleanJson(out);
          assert.deepEqual(map(event), out, 'the same event maps to the same payload');
        }
        assertNoPollution();
      }),
      RUNS,
    );
  });
});

// ---- @path and @template against a reference lookup ----

/** Own keys of objects and arrays only, as the docs promise. */
function reference(root: unknown, path: readonly string[]): unknown {
  let v = root;
  for (const key of path) {
    if (v === null || typeof v !== 'object' || !Object.hasOwn(v, key)) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

/** Writes a key as `.key` when the dotted form can carry it, else as `["key"]`. */
function pathText(path: readonly string[]): string {
  return '$' + path.map((k) => (k !== '' && k.trim() === k && !/[.[\]"'\\]/.test(k) ? `.${k}` : `["${k.replace(/["\\]/g, '\\$&')}"]`)).join('');
}

/** A path that mostly follows keys present in the event, sometimes not. */
const eventAndPathArb = eventArb.chain((event) => {
  const walk = (v: unknown, depth: number): fc.Arbitrary<string[]> => {
    const own = v !== null && typeof v === 'object' ? Object.keys(v) : [];
    const keyArb = own.length > 0 ? fc.oneof(fc.constantFrom(...own), fc.constantFrom('x', 'length', '0')) : fc.constantFrom('x', 'length', '0');
    const none = fc.constant<string[]>([]);
    if (depth >= 4) return none;
    return fc.oneof(
      none,
      keyArb.chain((k) => walk(reference(v, [k]), depth + 1).map((rest) => [k, ...rest])),
    );
  };
  return walk(event, 0).map((path) => ({ event, path }));
});

describe('@path and @template read what a plain lookup reads', () => {
  test('@path', () => {
    fc.assert(
      fc.property(eventAndPathArb, ({ event, path }) => {
        const text = pathText(path);
        assert.equal(compileMappingValue({ '@path': text })(event), reference(event, path), text);
        assert.equal(compileMappingValue({ '@arrayPath': [text] })(event), reference(event, path), text);
      }),
      RUNS,
    );
  });
  test('@template', () => {
    fc.assert(
      fc.property(eventAndPathArb, ({ event, path }) => {
        const text = pathText(path);
        fc.pre(!/[{}]/.test(text)); // braces cannot appear inside a placeholder
        assert.equal(compileMappingValue({ '@template': `<{{${text}}}>` })(event), `<${toText(reference(event, path))}>`, text);
      }),
      RUNS,
    );
  });
});
