import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { compileMapping, compileMappingValue, mappingIssues } from '../compile-mapping.ts';
import { validateMapping } from '../validate-mapping.ts';
import { MappingError } from '../mapping-error.ts';
import { removeEmptyValues } from '../remove-empty-values.ts';
import { SupportSyncError } from '../../../core/errors.ts';

const resolve = (mapping: unknown, event: unknown) => compileMappingValue(mapping)(event);

function issuesOf(value: unknown): string[] {
  try {
    validateMapping(value, 'fields');
  } catch (err) {
    assert.ok(err instanceof MappingError, `expected MappingError, got ${err}`);
    return err.issues.map((i) => `${i.at}: ${i.message}`);
  }
  assert.fail('expected the mapping to be rejected');
}

describe('raw values, objects and arrays', () => {
  test('raw values pass through; objects and arrays recurse', () => {
    assert.deepEqual(compileMapping({})({ cool: false }), {});
    assert.deepEqual(compileMapping({ cool: true, n: 1, s: 'x', z: null })({}), { cool: true, n: 1, s: 'x', z: null });
    assert.deepEqual(
      compileMapping({ a: { b: { '@path': '$.x' }, c: [1, { '@path': '$.y' }] } })({ x: 'X', y: 'Y' }),
      { a: { b: 'X', c: [1, 'Y'] } },
    );
  });
  test('undefined is removed, null and "" are kept (mapping-kit removeUndefined)', () => {
    const map = compileMapping({ foo: { '@path': '$.a' }, bar: { '@path': '$.b' }, baz: null, empty: { '@path': '$.e' } });
    assert.deepEqual(map({ a: 1, e: '' }), { foo: 1, baz: null, empty: '' });
    assert.deepEqual(compileMapping({ x: { y: { z: { '@path': '$.nope' } } }, foo: 1 })({}), { x: { y: {} }, foo: 1 });
    assert.deepEqual(compileMapping({ x: undefined, y: 1 })({}), { y: 1 });
  });
  test('array items that resolve to nothing become null and keep their place', () => {
    assert.deepEqual(resolve([{ '@path': '$.a' }, { '@path': '$.missing' }, 3], { a: 1 }), [1, null, 3]);
  });
  test('each event gets fresh objects', () => {
    const map = compileMapping({ nested: { a: 1 }, list: [1] });
    const first = map({});
    (first.nested as Record<string, unknown>).a = 2;
    (first.list as unknown[]).push(9);
    assert.deepEqual(map({}), { nested: { a: 1 }, list: [1] });
  });
});

describe('@path', () => {
  const event = { foo: { bar: 42, baz: [{ num: 1 }, { num: 2 }] }, hello: 'world', integrations: { 'Actions Amplitude': { session_id: 'bar' } } };
  test("mapping-kit's documented examples", () => {
    assert.equal(resolve({ '@path': '$.hello' }, event), 'world');
    assert.equal(resolve({ '@path': '$.foo.bar' }, event), 42);
    assert.equal(resolve({ '@path': '$.foo.baz[0].num' }, event), 1);
    assert.equal(resolve({ '@path': '$.foo.baz.1.num' }, event), 2);
    assert.equal(resolve({ '@path': 'foo.bar' }, event), 42, 'the leading $. may be omitted');
    assert.equal(resolve({ '@path': '$.integrations.Actions Amplitude.session_id' }, event), 'bar');
    assert.equal(resolve({ '@path': "$.integrations['Actions Amplitude'].session_id" }, event), 'bar');
  });
  test('the root, missing paths and paths through scalars', () => {
    const obj = { foo: 'bar' };
    assert.equal(resolve({ '@path': '$' }, obj), obj);
    assert.equal(resolve({ '@path': '$.' }, obj), obj);
    assert.equal(resolve({ '@path': '' }, obj), obj);
    assert.deepEqual(compileMapping({ neat: { '@path': '$.oops' } })(obj), {});
    assert.deepEqual(compileMapping({ neat: { '@path': '$.foo.bar.baz' } })(obj), {});
    assert.equal(resolve({ '@path': '$.foo.length' }, obj), undefined, 'strings have no fields');
    assert.equal(resolve({ '@path': '$.count.x' }, { count: 0 }), undefined);
  });
  test('quoted keys may hold dots and escaped quotes', () => {
    assert.equal(resolve({ '@path': '$.properties["a.b"]' }, { properties: { 'a.b': 1 } }), 1);
    assert.equal(resolve({ '@path': "$.p['it\\'s']" }, { p: { "it's": 2 } }), 2);
  });
  test('cannot reach inherited JavaScript properties', () => {
    assert.equal(resolve({ '@path': '$.constructor' }, {}), undefined);
    assert.equal(resolve({ '@path': '$.traits.__proto__' }, { traits: {} }), undefined);
    assert.equal(resolve({ '@path': '$.a.toString' }, { a: {} }), undefined);
    assert.equal(resolve({ '@path': '$.list.length' }, { list: [1, 2] }), 2, "an array's own length is data");
  });
  test('a path computed by a directive', () => {
    assert.equal(resolve({ '@path': { '@path': '$.foo' } }, { foo: 'bar', bar: 'baz' }), 'baz');
    assert.equal(resolve({ '@path': { '@template': '$.props.{{which}}' } }, { which: 'b', props: { b: 7 } }), 7);
    assert.equal(resolve({ '@path': { '@path': '$.n' } }, { n: 5 }), undefined, 'a non-string path gives nothing');
    assert.equal(resolve({ '@path': { '@path': '$.p' } }, { p: '$..x' }), undefined, 'a malformed computed path gives nothing');
  });
});

describe('@template', () => {
  test("mapping-kit's examples", () => {
    assert.equal(resolve({ '@template': 'Hello, {{who}}!' }, { who: 'World' }), 'Hello, World!');
    assert.equal(resolve({ '@template': 'Hello, {{who.name}}!' }, { who: { name: 'World' } }), 'Hello, World!');
    assert.equal(resolve({ '@template': '{{oops.yo}}' }, {}), '');
    assert.equal(resolve({ '@template': '<blink>{{a}} {{{a}}}</blink>' }, { a: '<b>Hi</b>' }), '<blink><b>Hi</b> <b>Hi</b></blink>');
  });
  test('missing values render empty, never "undefined"; other types render as text', () => {
    const t = '{{traits.first_name}} {{traits.last_name}}';
    assert.equal(resolve({ '@template': t }, { traits: { first_name: 'Ada' } }), 'Ada ');
    assert.equal(resolve({ '@template': t }, { traits: { first_name: 'Ada', last_name: null } }), 'Ada ');
    assert.equal(resolve({ '@template': t }, {}), ' ');
    assert.equal(resolve({ '@template': '{{ n }}/{{b}}/{{o}}/{{l}}' }, { n: 1.5, b: false, o: { a: 1 }, l: [1, 'x'] }), '1.5/false/{"a":1}/[1,"x"]');
    assert.equal(resolve({ '@template': '{{$.traits.name}} {{items[1]}}' }, { traits: { name: "O'Brien" }, items: ['a', 'b'] }), "O'Brien b", 'no HTML escaping');
    assert.equal(resolve({ '@template': 'no placeholders }} here' }, {}), 'no placeholders }} here');
  });
  test('malformed templates are load errors', () => {
    assert.deepEqual(issuesOf({ name: { '@template': 'Hi {{traits.name' } }), ['fields.name.@template: template has an unclosed "{{" at character 4']);
    assert.deepEqual(issuesOf({ name: { '@template': 'Hi {{ }}' } }), ['fields.name.@template: template has an empty placeholder at character 4']);
    assert.match(issuesOf({ name: { '@template': '{{a..b}}' } })[0], /has an empty key/);
    assert.match(issuesOf({ name: { '@template': false } })[0], /needs a template string/);
  });
});

describe('@literal', () => {
  test('gives its value; directives inside still resolve, as in mapping-kit', () => {
    assert.deepEqual(compileMapping({ simple: { '@literal': false } })({}), { simple: false });
    assert.deepEqual(compileMapping({ s: { '@literal': '{{not a template}}' } })({}), { s: '{{not a template}}' });
    assert.deepEqual(
      compileMapping({ nested: { '@literal': { a: { '@path': '$.a' }, b: { '@path': '$.b' } } } })({ a: 'some value' }),
      { nested: { a: 'some value' } },
    );
  });
});

describe('@if', () => {
  const payload = { a: 1, b: true, c: false, d: null, e: '', z: 0 };
  const ifMap = (cond: 'exists' | 'blank', path: string) => ({ '@if': { [cond]: { '@path': path }, then: 1, else: 2 } });
  test("exists: present and not null (mapping-kit's cases)", () => {
    assert.equal(resolve(ifMap('exists', '$.a'), payload), 1);
    assert.equal(resolve(ifMap('exists', '$.d'), payload), 2);
    assert.equal(resolve(ifMap('exists', '$.x'), payload), 2);
    assert.equal(resolve(ifMap('exists', '$.e'), payload), 1);
    assert.equal(resolve(ifMap('exists', '$.c'), payload), 1);
  });
  test("blank: present, not null and not '' (mapping-kit's cases)", () => {
    assert.equal(resolve(ifMap('blank', '$.a'), payload), 1);
    assert.equal(resolve(ifMap('blank', '$.d'), payload), 2);
    assert.equal(resolve(ifMap('blank', '$.x'), payload), 2);
    assert.equal(resolve(ifMap('blank', '$.e'), payload), 2);
    assert.equal(resolve(ifMap('blank', '$.z'), payload), 1, '0 is a value, not blank');
    assert.equal(resolve(ifMap('blank', '$.c'), payload), 1, 'false is a value, not blank');
  });
  test('a missing branch leaves the field out; a falsy else is used', () => {
    assert.deepEqual(compileMapping({ 'foo-exists': { '@if': { exists: { '@path': '$.foo' }, then: true } } })({ a: 'cool' }), {});
    assert.deepEqual(compileMapping({ a: { '@if': { exists: { '@path': '$.oops' }, then: { '@path': '$.a' } } } })({ a: 'cool' }), {});
    assert.deepEqual(compileMapping({ f: { '@if': { exists: { '@path': '$.oops' }, else: false } } })({}), { f: false });
  });
  test('branches are mappings', () => {
    const map = compileMapping({
      lastPageView: {
        '@if': { exists: { '@path': '$.context.page.url' }, then: { page: { '@path': '$.context.page.url' }, date: { '@path': '$.timestamp' } } },
      },
    });
    assert.deepEqual(map({ timestamp: 't', context: { page: { url: 'u' } } }), { lastPageView: { page: 'u', date: 't' } });
    assert.deepEqual(map({ timestamp: 't' }), {});
  });
  test('invalid forms are load errors', () => {
    assert.deepEqual(issuesOf({ f: { '@if': { then: 1 } } }), ['fields.f.@if: needs a condition: "exists" or "blank"']);
    assert.deepEqual(issuesOf({ f: { '@if': { exists: 1, blank: 1, then: 1 } } }), ['fields.f.@if: has both "exists" and "blank"; use one of them']);
    assert.deepEqual(issuesOf({ f: { '@if': { exists: 1 } } }), ['fields.f.@if: needs "then" or "else"']);
    assert.deepEqual(issuesOf({ f: { '@if': { exists: 1, than: 1, then: 2 } } }), ['fields.f.@if.than: is not an option of @if; expected exists, blank, then, else']);
    assert.match(issuesOf({ f: { '@if': 'x' } })[0], /@if needs an object with exists\?, blank\?, then\?, else\?; got the string "x"/);
  });
});

describe('@arrayPath', () => {
  const data = { products: [{ productId: '123', price: 0.5 }, { productId: '456', price: 0.99 }] };
  const shape = { product_id: { '@path': '$.productId' }, monies: { '@path': '$.price' } };
  test("mapping-kit's cases", () => {
    assert.deepEqual(compileMapping({ neat: { '@arrayPath': ['$.products'] } })(data), { neat: data.products });
    const expected = { neat: [{ product_id: '123', monies: 0.5 }, { product_id: '456', monies: 0.99 }] };
    assert.deepEqual(compileMapping({ neat: { '@arrayPath': ['$.products', shape] } })(data), expected);
    const viaDirective = { '@if': { exists: { '@path': '$.products' }, then: { '@path': '$.products' }, else: [] } };
    assert.deepEqual(compileMapping({ neat: { '@arrayPath': [viaDirective, shape] } })(data), expected);
    assert.deepEqual(compileMapping({ neat: { '@arrayPath': ['$.products', shape] } })({ products: { notAnArray: true } }), { neat: [{}] });
    assert.deepEqual(
      compileMapping({ neat: { '@arrayPath': ['$.properties', shape] } })({ properties: { productId: '123', price: 0.5 } }),
      { neat: [{ product_id: '123', monies: 0.5 }] },
    );
  });
  test('scalars and missing data pass through; a directive shape maps each item', () => {
    assert.equal(resolve({ '@arrayPath': ['$.p', shape] }, { p: 'x' }), 'x');
    assert.deepEqual(compileMapping({ neat: { '@arrayPath': ['$.missing', shape] } })({}), {});
    assert.deepEqual(resolve({ '@arrayPath': ['$.products', { '@path': '$.productId' }] }, data), ['123', '456']);
    assert.deepEqual(resolve({ '@arrayPath': ['$.products', { '@path': '$.nope' }] }, data), [null, null]);
    assert.deepEqual(resolve({ '@arrayPath': ['$.products', {}] }, data), data.products);
  });
  test('invalid forms are load errors', () => {
    assert.match(issuesOf({ f: { '@arrayPath': '$.x' } })[0], /^fields\.f\.@arrayPath: needs \["\$\.path"\]/);
    assert.match(issuesOf({ f: { '@arrayPath': ['$.x', 'y'] } })[0], /^fields\.f\.@arrayPath\[1\]: should be an object describing each item/);
    assert.match(issuesOf({ f: { '@arrayPath': [5] } })[0], /^fields\.f\.@arrayPath\[0\]: should be a path string/);
    assert.match(issuesOf({ f: { '@arrayPath': ['$.a', {}, 3] } })[0], /of 3 items/);
  });
});

describe('@case', () => {
  test('lower and upper; other values unchanged', () => {
    assert.equal(resolve({ '@case': { operator: 'lower', value: { '@path': '$.e' } } }, { e: 'ADA@X.IO' }), 'ada@x.io');
    assert.equal(resolve({ '@case': { operator: 'upper', value: 'MiXed' } }, {}), 'MIXED');
    assert.equal(resolve({ '@case': { operator: 'upper', value: { '@path': '$.n' } } }, { n: 5 }), 5);
    assert.equal(resolve({ '@case': { operator: 'upper', value: { '@path': '$.x' } } }, {}), undefined);
  });
  test('invalid forms are load errors', () => {
    assert.deepEqual(issuesOf({ f: { '@case': { operator: 'title', value: 'x' } } }), ['fields.f.@case.operator: should be "lower" or "upper", got the string "title"']);
    assert.deepEqual(issuesOf({ f: { '@case': { operator: 'lower' } } }), ['fields.f.@case: @case needs "value"']);
  });
});

describe('@replace', () => {
  const rep = (opts: Record<string, unknown>, value: unknown) => resolve({ '@replace': { ...opts, value: { '@path': '$.v' } } }, { v: value });
  test('literal, global and case-sensitive by default', () => {
    assert.equal(rep({ pattern: '-', replacement: '_' }, 'a-b-c'), 'a_b_c');
    assert.equal(rep({ pattern: '.', replacement: '' }, 'a.b.c'), 'abc', 'the pattern is not a regex');
    assert.equal(rep({ pattern: '(x)', replacement: '$1$&' }, '(x)(X)'), '$1$&(X)', 'the replacement is literal');
    assert.equal(rep({ pattern: 'x', replacement: 'y' }, 'xX'), 'yX');
  });
  test('options: global, ignorecase, missing replacement, a second pattern', () => {
    assert.equal(rep({ pattern: '-', replacement: '_', global: false }, 'a-b-c'), 'a_b-c');
    assert.equal(rep({ pattern: 'x', replacement: 'y', ignorecase: true }, 'xX'), 'yy');
    assert.equal(rep({ pattern: 'x', replacement: 'y', ignorecase: true, global: false }, 'XxX'), 'yxX');
    assert.equal(rep({ pattern: '.*', replacement: '!', ignorecase: true }, 'A.*B'), 'A!B');
    assert.equal(rep({ pattern: ' ' }, 'a b c'), 'abc');
    assert.equal(rep({ pattern: ' ', replacement: null }, 'a b'), 'ab');
    assert.equal(rep({ pattern: 'a', replacement: 'b', pattern2: 'b', replacement2: 'c' }, 'ab'), 'cc');
  });
  test('numbers and booleans are replaced as text; other values give nothing', () => {
    assert.equal(rep({ pattern: '0', replacement: '1' }, 100), '111');
    assert.equal(rep({ pattern: 'true', replacement: 'yes' }, true), 'yes');
    assert.equal(rep({ pattern: 'a' }, undefined), undefined);
    assert.equal(rep({ pattern: 'a' }, { a: 1 }), undefined);
  });
  test('invalid forms are load errors', () => {
    assert.deepEqual(issuesOf({ f: { '@replace': { pattern: '', value: 'x' } } }), ['fields.f.@replace.pattern: should be a non-empty string (the literal text to replace), got the string ""']);
    assert.deepEqual(issuesOf({ f: { '@replace': { pattern: 'a', value: 'x', global: 'yes' } } }), ['fields.f.@replace.global: should be true or false, got the string "yes"']);
    assert.deepEqual(issuesOf({ f: { '@replace': { value: 'x' } } }), ['fields.f.@replace: @replace needs "pattern"']);
    assert.deepEqual(issuesOf({ f: { '@replace': { pattern: 'a', value: 'x', replacement: 1 } } }), ['fields.f.@replace.replacement: should be a string, got the number 1']);
    assert.deepEqual(issuesOf({ f: { '@replace': { pattern: 'a', value: 'x', replacement2: 'b' } } }), ['fields.f.@replace.replacement2: needs "pattern2"']);
  });
});

describe('@merge', () => {
  const objects = [{ '@path': '$.a' }, { '@path': '$.b' }];
  const event = { a: { x: 1, y: 1 }, b: { y: 2, z: 2 } };
  test('right: the rightmost object wins; left: the leftmost', () => {
    assert.deepEqual(resolve({ '@merge': { objects, direction: 'right' } }, event), { x: 1, y: 2, z: 2 });
    assert.deepEqual(resolve({ '@merge': { objects, direction: 'left' } }, event), { x: 1, y: 1, z: 2 });
  });
  test('non-objects are skipped and keys that resolve to nothing erase nothing', () => {
    assert.deepEqual(resolve({ '@merge': { objects: [{ '@path': '$.a' }, 'str', [1], null, { '@path': '$.none' }], direction: 'right' } }, event), { x: 1, y: 1 });
    assert.deepEqual(resolve({ '@merge': { objects: [{ '@path': '$.a' }, { y: { '@path': '$.missing' } }], direction: 'right' } }, event), { x: 1, y: 1 });
  });
  test('does not let a __proto__ key from an event change the prototype', () => {
    const hostile = JSON.parse('{"a": {"__proto__": {"polluted": true}, "k": 1}}');
    const out = resolve({ '@merge': { objects: [{ '@path': '$.a' }], direction: 'right' } }, hostile) as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(out), Object.prototype);
    assert.deepEqual(Object.keys(out), ['__proto__', 'k']);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
  test('invalid forms are load errors', () => {
    assert.deepEqual(issuesOf({ f: { '@merge': { objects: {}, direction: 'right' } } }), ['fields.f.@merge.objects: should be an array of objects to merge, got an object']);
    assert.deepEqual(issuesOf({ f: { '@merge': { objects: [] } } }), ['fields.f.@merge: @merge needs "direction"']);
    assert.deepEqual(issuesOf({ f: { '@merge': { objects: [], direction: 'up' } } }), ['fields.f.@merge.direction: should be "left" or "right", got the string "up"']);
  });
});

describe('@flatten', () => {
  const flat = (value: unknown, separator = '.', omitArrays?: boolean) =>
    resolve({ '@flatten': { value: { '@path': '$.v' }, separator, ...(omitArrays === undefined ? {} : { omitArrays }) } }, { v: value });
  test("mapping-kit's cases", () => {
    assert.deepEqual(flat({ a: { b: { c: 1 }, d: 2 } }), { 'a.b.c': 1, 'a.d': 2 });
    assert.deepEqual(flat({ a: { b: { c: 1 }, d: 2 } }, '/'), { 'a/b/c': 1, 'a/d': 2 });
    assert.deepEqual(flat({ a: [{ b: 1 }, { c: 2 }] }), { 'a.0.b': 1, 'a.1.c': 2 });
    assert.deepEqual(flat([{ a: [{ b: [{ c: 1 }] }, { d: [{ e: 2 }] }] }]), { '0.a.0.b.0.c': 1, '0.a.1.d.0.e': 2 });
    assert.deepEqual(flat({ a: { b: { c: [{ d: [{ e: 1 }] }] } } }, '.', true), { 'a.b.c': [{ d: [{ e: 1 }] }] });
  });
  test('leaves keep null, empty containers vanish, scalars pass through', () => {
    assert.deepEqual(flat({ a: null, b: {}, c: [], d: '' }), { a: null, d: '' });
    assert.equal(flat('x'), 'x');
    assert.deepEqual(compileMapping({ f: { '@flatten': { value: { '@path': '$.none' }, separator: '.' } } })({}), {});
  });
  test('very deep input is cut off, not a stack overflow', () => {
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 10_000; i++) deep = { n: deep };
    const out = flat(deep) as Record<string, unknown>;
    assert.equal(Object.keys(out).length, 1);
    assert.equal(Object.keys(out)[0].split('.').length, 65);
  });
  test('invalid forms are load errors', () => {
    assert.deepEqual(issuesOf({ f: { '@flatten': { value: 1, separator: '' } } }), ['fields.f.@flatten.separator: should be a non-empty string such as ".", got the string ""']);
    assert.deepEqual(issuesOf({ f: { '@flatten': { value: 1, separator: '.', omitArrays: 1 } } }), ['fields.f.@flatten.omitArrays: should be true or false, got the number 1']);
  });
});

describe('@json', () => {
  test('encode and decode', () => {
    assert.equal(resolve({ '@json': { value: { '@path': '$.o' }, mode: 'encode' } }, { o: { a: [1, 'x'] } }), '{"a":[1,"x"]}');
    assert.equal(resolve({ '@json': { value: { '@path': '$.s' }, mode: 'encode' } }, { s: 'hi' }), '"hi"');
    assert.equal(resolve({ '@json': { value: { '@path': '$.none' }, mode: 'encode' } }, {}), undefined);
    assert.deepEqual(resolve({ '@json': { value: { '@path': '$.s' }, mode: 'decode' } }, { s: '{"a":1}' }), { a: 1 });
    assert.equal(resolve({ '@json': { value: { '@path': '$.s' }, mode: 'decode' } }, { s: 5 }), 5);
    assert.equal(resolve({ '@json': { value: { '@path': '$.s' }, mode: 'decode' } }, { s: '{oops' }), undefined);
  });
  test('invalid forms are load errors', () => {
    assert.deepEqual(issuesOf({ f: { '@json': { value: 1, mode: 'pretty' } } }), ['fields.f.@json.mode: should be "encode" or "decode", got the string "pretty"']);
  });
});

describe('@excludeWhenNull', () => {
  test('null leaves the field out; other values stay', () => {
    const map = compileMapping({ f: { '@excludeWhenNull': { '@path': '$.v' } } });
    assert.deepEqual(map({ v: null }), {});
    assert.deepEqual(map({ v: '' }), { f: '' });
    assert.deepEqual(map({ v: 0 }), { f: 0 });
  });
});

describe('validation', () => {
  test('the error names the field and lists the directives', () => {
    assert.throws(
      () => compileMapping({ userId: { '@pth': '$.userId' } }),
      (err: unknown) => {
        assert.ok(err instanceof MappingError && err instanceof SupportSyncError);
        assert.equal(err.code, 'MAPPING_INVALID');
        assert.equal(err.phase, 'mapping');
        assert.equal(
          err.message,
          'fields.userId: unknown directive "@pth"; expected one of @path, @template, @if, @arrayPath, @literal, @case, @replace, @merge, @flatten, @json, @excludeWhenNull (did you mean @path?)',
        );
        return true;
      },
    );
  });
  test('every problem is reported at once, with its location', () => {
    assert.deepEqual(
      issuesOf({
        a: { '@path': '$.a', '@template': 'x' },
        b: { '@path': '$.b', other: 1 },
        c: { deep: [1, { '@path': '$traits.email' }] },
        'odd key': { '@Path': '$.x' },
      }),
      [
        'fields.a: has 2 directives (@path, @template); a directive object has exactly one @-key, so give each its own field',
        'fields.b: mixes the directive @path with other keys (other); put the directive under a key of its own',
        'fields.c.deep[1].@path: path "$traits.email" should start with "$." (e.g. "$.traits.email")',
        'fields["odd key"]: unknown directive "@Path"; expected one of @path, @template, @if, @arrayPath, @literal, @case, @replace, @merge, @flatten, @json, @excludeWhenNull (did you mean @path?)',
      ],
    );
  });
  test('malformed paths', () => {
    assert.match(issuesOf({ f: { '@path': '$.a..b' } })[0], /path "\$\.a\.\.b" has an empty key at character 5/);
    assert.match(issuesOf({ f: { '@path': '$.a.' } })[0], /has an empty key/);
    assert.match(issuesOf({ f: { '@path': '$.a[0' } })[0], /unclosed "\["/);
    assert.match(issuesOf({ f: { '@path': '$.a[0]b' } })[0], /unexpected "b"/);
    assert.match(issuesOf({ f: { '@path': 5 } })[0], /needs a path string like "\$\.traits\.email"/);
  });
  test('values JSON cannot carry, and the shape of fields itself', () => {
    assert.deepEqual(issuesOf({ f: () => 1, g: NaN, h: new Date(0), i: 10n }), [
      'fields.f: is a function; expected a JSON value or a directive',
      'fields.g: is NaN, which JSON cannot carry',
      'fields.h: is a Date; expected a JSON value or a directive',
      'fields.i: is a bigint; expected a JSON value or a directive',
    ]);
    assert.throws(() => compileMapping([] as unknown as Record<string, unknown>), /fields: should be an object of field mappings, got an array/);
    assert.throws(() => compileMapping({ '@path': '$.x' }), /fields: should map field names to values; a directive \(@path\) belongs under a field name/);
  });
  test('_metadata beside a directive is accepted and ignored', () => {
    assert.deepEqual(compileMapping({ f: { '@path': '$.a', _metadata: { label: 'x' } } })({ a: 1 }), { f: 1 });
  });
  test('deep nesting is refused cleanly', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 10_000; i++) deep = { a: deep };
    const issues = mappingIssues(deep, 'fields');
    assert.equal(issues.length, 1);
    assert.match(issues[0].message, /nested more than 64 levels deep/);
    assert.deepEqual(mappingIssues({ ok: { '@path': '$.a' } }), []);
  });
  test('a __proto__ key in a mapping is an ordinary field', () => {
    const map = compileMapping(JSON.parse('{"__proto__": {"@path": "$.a"}, "b": 1}'));
    const out = map({ a: 'x' });
    assert.equal(Object.getPrototypeOf(out), Object.prototype);
    assert.deepEqual(Object.entries(out), [['__proto__', 'x'], ['b', 1]]);
  });
});

describe('a Gleap identify mapping, end to end', () => {
  test('maps a Segment identify call into the contact fields', () => {
    const map = compileMapping({
      userId: { '@path': '$.userId' },
      name: { '@template': '{{traits.first_name}} {{traits.last_name}}' },
      email: { '@path': '$.traits.email' },
      phone: { '@path': '$.traits.phone' },
      companyName: { '@path': '$.traits.company.name' },
      companyId: { '@path': '$.traits.company.id' },
      lang: { '@path': '$.context.locale' },
      plan: { '@path': '$.traits.plan' },
      lastActivity: { '@path': '$.timestamp' },
      lastPageView: {
        '@if': { exists: { '@path': '$.context.page.url' }, then: { page: { '@path': '$.context.page.url' }, date: { '@path': '$.timestamp' } } },
      },
      customAttributes: { '@path': '$.traits' },
    });
    const event = {
      type: 'identify',
      userId: 'u-1',
      timestamp: '2024-05-01T10:00:00.000Z',
      context: { locale: 'de-DE', page: { url: 'https://app.example.com/settings' } },
      traits: { first_name: 'Ada', last_name: 'Lovelace', email: 'ada@example.com', company: { name: 'Analytical', id: 'c-9' }, plan: 'pro', vip: true },
    };
    assert.deepEqual(map(event), {
      userId: 'u-1',
      name: 'Ada Lovelace',
      email: 'ada@example.com',
      companyName: 'Analytical',
      companyId: 'c-9',
      lang: 'de-DE',
      plan: 'pro',
      lastActivity: '2024-05-01T10:00:00.000Z',
      lastPageView: { page: 'https://app.example.com/settings', date: '2024-05-01T10:00:00.000Z' },
      customAttributes: event.traits,
    });
  });
});

describe('removeEmptyValues', () => {
  test("drops '' and null from typed top-level fields, as Segment's action runtime does", () => {
    const payload = { a: '', b: null, c: null, d: 'x', e: '' /* untyped */, f: { g: '', h: null }, untyped: '', n: 0 };
    assert.deepEqual(
      removeEmptyValues(payload, { a: 'string', b: 'string', c: ['string', 'null'], d: 'string', f: 'object', n: 'number' }),
      { c: null, d: 'x', e: '', f: { g: '', h: null }, untyped: '', n: 0 },
    );
    assert.deepEqual(payload.a, '', 'the input is not modified');
  });
});
