import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTrigger } from '../parse-trigger.ts';
import { TriggerSyntaxError } from '../trigger-syntax-error.ts';
import { evaluateTrigger } from '../evaluate-trigger.ts';
import { formatTrigger } from '../format-trigger.ts';
import { SupportSyncError } from '../../../core/errors.ts';

/** Evaluates with both the compiled closure and the reference interpreter, which must agree. */
function run(source: string, event: unknown): boolean {
  const trigger = parseTrigger(source);
  const compiled = trigger.matches(event);
  assert.equal(evaluateTrigger(trigger.ast, event), compiled, `interpreter and compiler disagree on ${source}`);
  return compiled;
}

function syntaxError(source: string): TriggerSyntaxError {
  try {
    parseTrigger(source);
  } catch (err) {
    assert.ok(err instanceof TriggerSyntaxError, `expected TriggerSyntaxError, got ${err}`);
    return err;
  }
  assert.fail(`expected ${JSON.stringify(source)} to be rejected`);
}

describe("Segment's FQL documentation examples", () => {
  const event = {
    event: 'Button Clicked',
    type: 'track',
    context: { library: { name: 'analytics.js', version: '1.0' } },
    properties: { features: ['discounts', 'dark-mode'] },
  };
  const cases: [string, boolean][] = [
    ["event = 'Button Clicked'", true],
    ["event = 'Screen Tapped'", false],
    ["context.path.path = '/login'", false],
    ["type = 'identify' or type = 'track'", true],
    ["event = 'Button Clicked' and type = 'track'", true],
    ["match( context.library.version, '1.*' )", true],
    ["match( context.library.version, '2.*' )", false],
    ["type = 'track' and ( event = 'Click' or match( event, 'Button *' ) )", true],
    ["!contains( context.library.name, 'js' )", false],
  ];
  for (const [source, expected] of cases) {
    test(source, () => assert.equal(run(source, event), expected));
  }
});

describe('the default triggers of the Gleap actions', () => {
  const track = 'type = "track" or type = "page" or type = "screen"';
  test('trackEvent takes track, page and screen, nothing else', () => {
    for (const type of ['track', 'page', 'screen']) assert.equal(run(track, { type }), true, type);
    for (const type of ['identify', 'group', 'alias', 'Track', undefined]) assert.equal(run(track, { type }), false, String(type));
    assert.deepEqual(parseTrigger(track).warnings, []);
  });
  test('identifyContact takes identify', () => {
    assert.equal(run('type = "identify"', { type: 'identify' }), true);
    assert.equal(run('type = "identify"', { type: 'track' }), false);
  });
});

describe('equality', () => {
  test('strings are compared exactly and case-sensitively', () => {
    assert.equal(run('event = "Order Completed"', { event: 'Order Completed' }), true);
    assert.equal(run('event = "order completed"', { event: 'Order Completed' }), false);
    assert.equal(run('event != "order completed"', { event: 'Order Completed' }), true);
  });
  test('numbers, numeric strings and booleans compare by their text, as in Segment', () => {
    assert.equal(run('properties.count = 5', { properties: { count: 5 } }), true);
    assert.equal(run('properties.count = 5', { properties: { count: '5' } }), true);
    assert.equal(run('properties.count = "5"', { properties: { count: 5 } }), true);
    assert.equal(run('properties.count = 5', { properties: { count: '5.0' } }), false);
    assert.equal(run('properties.count = 5.0', { properties: { count: 5 } }), true);
    assert.equal(run('properties.vip = true', { properties: { vip: true } }), true);
    assert.equal(run('properties.vip = true', { properties: { vip: 'true' } }), true);
    assert.equal(run('properties.vip = true', { properties: { vip: 1 } }), false);
    assert.equal(run('properties.vip = false', { properties: { vip: false } }), true);
    assert.equal(run('properties.vip != false', { properties: { vip: true } }), true);
  });
  test('objects, arrays and missing fields never equal a literal', () => {
    assert.equal(run('properties.tags = "a"', { properties: { tags: ['a'] } }), false);
    assert.equal(run('properties = "[object Object]"', { properties: {} }), false);
    assert.equal(run('properties.missing = "undefined"', { properties: {} }), false);
    assert.equal(run('properties.missing != "x"', { properties: {} }), true);
  });
  test('= null means missing or null; != null means present', () => {
    const cases: [unknown, boolean][] = [[undefined, true], [null, true], ['', false], [0, false], [false, false], [{}, false]];
    for (const [value, isNull] of cases) {
      const event = { userId: 'u', traits: value === undefined ? {} : { email: value } };
      assert.equal(run('traits.email = null', event), isNull, `= null on ${JSON.stringify(value)}`);
      assert.equal(run('traits.email != null', event), !isNull, `!= null on ${JSON.stringify(value)}`);
    }
  });
});

describe('relational operators', () => {
  const at = (value: unknown) => ({ properties: { value } });
  test('compare numbers and numeric strings numerically', () => {
    assert.equal(run('properties.value > 10', at(11)), true);
    assert.equal(run('properties.value > 10', at(10)), false);
    assert.equal(run('properties.value >= 10', at(10)), true);
    assert.equal(run('properties.value < 10', at(9.5)), true);
    assert.equal(run('properties.value <= -1', at(-1)), true);
    assert.equal(run('properties.value > 9', at('10')), true, 'numeric strings compare as numbers, not text');
    assert.equal(run('properties.value < 2e3', at(' 1999.5 ')), true);
  });
  test('are false for anything that is not a number', () => {
    for (const value of [undefined, null, '', '  ', 'abc', '0x10', 'Infinity', true, false, [], {}]) {
      assert.equal(run('properties.value < 100', at(value)), false, `< on ${JSON.stringify(value)}`);
      assert.equal(run('properties.value >= -100', at(value)), false, `>= on ${JSON.stringify(value)}`);
    }
  });
  test('need a number on the right', () => {
    assert.match(syntaxError('properties.value > "5"').reason, /expected a number after '>'/);
    assert.match(syntaxError('properties.value <= null').reason, /expected a number after '<='/);
  });
});

describe('contains() and match()', () => {
  test('contains is a case-sensitive substring test on strings', () => {
    assert.equal(run('contains(context.page.url, "/pricing")', { context: { page: { url: 'https://x.io/pricing?a=1' } } }), true);
    assert.equal(run('contains(context.page.url, "/Pricing")', { context: { page: { url: 'https://x.io/pricing' } } }), false);
    assert.equal(run('contains(properties.tags, "a")', { properties: { tags: ['a'] } }), false);
    assert.equal(run('contains(properties.n, "1")', { properties: { n: 12 } }), false);
    assert.equal(run('contains(properties.missing, "")', { properties: {} }), false);
  });
  test('! negates, so a missing field does not contain anything', () => {
    assert.equal(run('!contains(properties.missing, "x")', {}), true);
    assert.equal(run('!contains(event, "Order")', { event: 'Order Completed' }), false);
  });
  test('match is a whole-string glob', () => {
    const m = (pattern: string, text: unknown) => run(`match(event, ${JSON.stringify(pattern)})`, { event: text });
    assert.equal(m('Order *', 'Order Completed'), true);
    assert.equal(m('Order *', 'Big Order Completed'), false);
    assert.equal(m('* Completed', 'Order Completed'), true);
    assert.equal(m('*der Comp*', 'Order Completed'), true);
    assert.equal(m('Order', 'Order Completed'), false);
    assert.equal(m('Order ?ompleted', 'Order Completed'), true);
    assert.equal(m('a*b*c', 'axxbyyc'), true);
    assert.equal(m('a*b*c', 'axxbyy'), false);
    assert.equal(m('ab[cC]d', 'abCd'), true);
    assert.equal(m('ab[a-z]d', 'abcd'), true);
    assert.equal(m('ab[A-Z]d', 'abcd'), false);
    assert.equal(m('ab[!A-Z]d', 'abcd'), true);
    assert.equal(m('*', ''), true);
    assert.equal(m('*', 5), false);
    assert.equal(run('match(event, "ab\\*d")', { event: 'ab*d' }), true, 'an escaped star is literal');
    assert.equal(run('match(event, "ab\\*d")', { event: 'abxd' }), false);
    assert.equal(m('?', '😀'), true, '? is one character, even outside the BMP');
  });
  test('a broken glob is a syntax error pointing at the pattern', () => {
    const err = syntaxError('match(event, "ab[c")');
    assert.equal(err.column, 14);
    assert.match(err.reason, /unclosed '\['/);
  });
});

describe('logic', () => {
  const event = { type: 'track', event: 'A', properties: { plan: 'pro' } };
  test('and, or, ! and parentheses', () => {
    assert.equal(run('type = "track" and event = "A"', event), true);
    assert.equal(run('type = "track" and event = "B"', event), false);
    assert.equal(run('type = "page" or event = "A"', event), true);
    assert.equal(run('!(type = "track")', event), false);
    assert.equal(run('!type = "page"', event), true, '! applies to the whole comparison');
    assert.equal(run('!!(type = "track")', event), true);
    assert.equal(run('type = "page" and (event = "A" or event = "B")', event), false);
  });
  test('and binds tighter than or', () => {
    // (page and A) or pro -> true; Segment's last-operator rule would give the same here,
    // so also check a case where the readings differ.
    assert.equal(run('type = "page" and event = "A" or properties.plan = "pro"', event), true);
    assert.equal(run('type = "track" or event = "B" and properties.plan = "free"', event), true);
    const trigger = parseTrigger('type = "track" or event = "B" and properties.plan = "free"');
    assert.deepEqual(trigger.ast, {
      kind: 'or',
      children: [
        { kind: 'compare', field: { path: ['type'] }, op: '=', value: 'track' },
        {
          kind: 'and',
          children: [
            { kind: 'compare', field: { path: ['event'] }, op: '=', value: 'B' },
            { kind: 'compare', field: { path: ['properties', 'plan'] }, op: '=', value: 'free' },
          ],
        },
      ],
    });
  });
  test('a long flat chain parses without deep recursion', () => {
    const source = Array.from({ length: 5000 }, (_, i) => `event = "e${i}"`).join(' or ');
    assert.equal(run(source, { event: 'e4999' }), true);
    assert.equal(run(source, { event: 'e5000' }), false);
  });
});

describe('the and/or precedence warning', () => {
  test('an unparenthesised mix warns and shows both readings', () => {
    const trigger = parseTrigger('type = "track" and event = "A" or event = "B"');
    assert.equal(trigger.warnings.length, 1);
    const [warning] = trigger.warnings;
    assert.match(warning, /mixed without parentheses at column 32/);
    assert.ok(warning.includes('reads it as (type = "track" and event = "A") or event = "B"'), warning);
    assert.ok(warning.includes('Segment would read it as type = "track" or event = "A" or event = "B"'), warning);
  });
  test("Segment's reading uses the last operator of the group", () => {
    const [warning] = parseTrigger('type = "track" or event = "A" and event = "B"').warnings;
    assert.ok(warning.includes('Segment would read it as type = "track" and event = "A" and event = "B"'), warning);
    assert.ok(warning.includes("its last operator, 'and'"), warning);
  });
  test('parentheses, a single operator kind, or a mix inside a group only warn where mixed', () => {
    assert.deepEqual(parseTrigger('(type = "a" and event = "b") or event = "c"').warnings, []);
    assert.deepEqual(parseTrigger('type = "a" and (event = "b" or event = "c")').warnings, []);
    assert.deepEqual(parseTrigger('type = "a" and event = "b" and event = "c"').warnings, []);
    const nested = parseTrigger('type = "a" and (event = "b" or event = "c" and userId = "u")');
    assert.equal(nested.warnings.length, 1);
    assert.match(nested.warnings[0], /column 44/);
  });
});

describe('field paths', () => {
  test('nested objects, array indexes and escaped names', () => {
    const event = { properties: { 'product 1': { price: '19.99' }, products: [{ id: 'p1' }], 'a.b': 1 } };
    assert.equal(run('properties.product\\ 1.price = "19.99"', event), true);
    assert.equal(run('properties.products.0.id = "p1"', event), true);
    assert.equal(run('properties.a\\.b = 1', event), true, 'an escaped dot is part of the name');
    assert.equal(run('properties.a.b = 1', event), false);
    assert.deepEqual(parseTrigger('properties.product\\ 1.price = 1').ast, {
      kind: 'compare', field: { path: ['properties', 'product 1', 'price'] }, op: '=', value: 1,
    });
  });
  test('cannot reach inherited JavaScript properties', () => {
    assert.equal(run('properties.constructor != null', { properties: {} }), false);
    assert.equal(run('properties.__proto__ != null', { properties: {} }), false);
    assert.equal(run('properties.toString != null', { properties: {} }), false);
    assert.equal(run('event.length > 0', { event: 'abc' }), false, 'strings have no fields');
    assert.equal(run('properties.constructor = "x"', { properties: JSON.parse('{"constructor":"x"}') }), true);
  });
  test('non-object events never throw', () => {
    for (const event of [null, undefined, 'track', 42, [], [{ type: 'track' }]]) {
      assert.equal(run('type = "track"', event), false);
      assert.equal(run('type != "track"', event), true);
    }
  });
  test('a field may be called like a keyword when escaped or nested', () => {
    assert.equal(run('\\null = 1', { null: 1 }), true);
    assert.equal(run('properties.and = "x"', { properties: { and: 'x' } }), true);
  });
});

describe('string literals', () => {
  test('single or double quotes, with escapes', () => {
    assert.equal(run(`event = 'It\\'s'`, { event: "It's" }), true);
    assert.equal(run('event = "say \\"hi\\""', { event: 'say "hi"' }), true);
    assert.equal(run('event = "a\\\\b"', { event: 'a\\b' }), true);
    assert.equal(run('event = "tab\\there"', { event: 'tab\there' }), true);
    assert.equal(run('event = "\\u00e9t\\u00e9"', { event: 'été' }), true);
    assert.equal(run('event = "été 😀"', { event: 'été 😀' }), true);
  });
  test('bad escapes and unterminated strings are errors', () => {
    assert.match(syntaxError('event = "a\\qb"').reason, /unknown escape '\\q'/);
    assert.match(syntaxError('event = "\\u12"').reason, /four hex digits/);
    const err = syntaxError('event = "abc');
    assert.match(err.reason, /unterminated string/);
    assert.equal(err.column, 9);
  });
});

describe('syntax errors', () => {
  test('the message carries the column and a caret under it', () => {
    const err = syntaxError('type = ');
    assert.ok(err instanceof SupportSyncError);
    assert.equal(err.code, 'TRIGGER_SYNTAX');
    assert.equal(err.phase, 'mapping');
    assert.equal(err.disposition, 'fatal');
    assert.equal(err.column, 8);
    assert.equal(
      err.message,
      "trigger: expected a value (a string, number, true, false or null) after '=', found the end of the trigger at column 8\n" +
        '  type = \n' +
        '         ^',
    );
  });
  const cases: [string, number, RegExp][] = [
    ['', 1, /the trigger is empty/],
    ['type', 5, /expected an operator .* after 'type', found the end/],
    ['type = "track" AND event = "x"', 16, /operators are lowercase: 'and'/],
    ['type = "track" and', 19, /expected a condition, found the end/],
    ['(type = "track"', 16, /expected '\)' to close the '\(' opened at column 1/],
    ['type = "a")', 11, /unexpected '\)' without a matching '\('/],
    ['type == "a"', 6, /'==' is not an operator/],
    ['type = "a" && event = "b"', 12, /combine conditions with 'and' \/ 'or'/],
    ['type in ["a", "b"]', 9, /lists and 'in' are not supported/],
    ['type in properties.types', 6, /'in' is not supported/],
    ['not type = "a"', 1, /'not' is not supported; write '!'/],
    ['properties.a = properties.b', 16, /comparing two fields is not supported/],
    ['"track" = type', 1, /a condition starts with a field name/],
    ['contains(event)', 15, /expected ',' after the field name in contains\(\)/],
    ['contains("x", event)', 10, /expected a field name as the first argument/],
    ['length(event) > 3', 1, /unknown function 'length'/],
    ['properties. = 1', 12, /expected a field name after '.'/],
    ['properties.x = 5abc', 16, /invalid number/],
    ['properties.x = 1e999', 16, /out of range/],
    ['type = "a" or or', 15, /expected a condition before 'or'/],
    ['true = type', 1, /expected a field name, found true/],
    ['type = "a" #', 12, /unexpected character "#"/],
    ['properties.enabled', 19, /expected an operator/],
  ];
  for (const [source, column, reason] of cases) {
    test(`${JSON.stringify(source)} -> column ${column}`, () => {
      const err = syntaxError(source);
      assert.match(err.reason, reason);
      assert.equal(err.column, column, err.message);
      assert.ok(err.message.startsWith(`trigger: ${err.reason} at column ${column}\n`), err.message);
    });
  }
  test('a trigger that is not a string is a syntax error too', () => {
    assert.throws(() => parseTrigger(42 as unknown as string), (err: unknown) => err instanceof TriggerSyntaxError && /must be a string, got number/.test(err.reason));
  });
  test('multi-line triggers report line and column', () => {
    const err = syntaxError('type = "track"\n  and event = 5x');
    assert.equal(err.line, 2);
    assert.equal(err.column, 15);
    assert.match(err.message, /at line 2, column 15\n {4}and event = 5x\n {16}\^$/);
  });
  test('deep nesting is refused cleanly, not with a stack overflow', () => {
    const deep = '('.repeat(10_000) + 'type = "a"' + ')'.repeat(10_000);
    const err = syntaxError(deep);
    assert.match(err.reason, /nested more than 64 levels/);
    assert.equal(err.column, 65);
    assert.ok(err.message.length < 400, 'the excerpt is cut to a window');
    assert.match(syntaxError('!'.repeat(10_000) + 'type = "a"').reason, /nested more than 64 levels/);
    assert.equal(run('('.repeat(60) + 'type = "a"' + ')'.repeat(60), { type: 'a' }), true);
  });
});

describe('formatTrigger', () => {
  test('prints a trigger that parses back to the same AST', () => {
    for (const source of [
      'type = "track" and event = "A" or event = "B"',
      '!(type = "a" or !contains(event, "x")) and properties.v >= -2.5',
      'properties.product\\ 1.price = "19.99" and \\null = null and match(event, "a\\\\*b\\*")',
      'event = "quote \\" and backslash \\\\ and newline \\n"',
    ]) {
      const ast = parseTrigger(source).ast;
      const printed = formatTrigger(ast);
      assert.deepEqual(parseTrigger(printed).ast, ast, printed);
      assert.deepEqual(parseTrigger(printed).warnings, [], 'printed triggers are fully parenthesised');
    }
  });
});
