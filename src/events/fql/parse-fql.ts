/**
 * Recursive-descent parser for the FQL subset used in triggers:
 *
 *   trigger    := or-expr END
 *   or-expr    := and-expr ('or' and-expr)*
 *   and-expr   := unary ('and' unary)*
 *   unary      := '!' unary | primary
 *   primary    := '(' or-expr ')' | contains | match | comparison
 *   contains   := 'contains' '(' field ',' string ')'
 *   match      := 'match' '(' field ',' string ')'
 *   comparison := field ('=' | '!=') (string | number | true | false | null)
 *              |  field ('<' | '<=' | '>' | '>=') number
 *
 * `and` binds tighter than `or`. Segment instead applies the last operator of a group to
 * all of it, so an unparenthesised mix gets a warning that shows both readings.
 * Nesting (parentheses and `!`) is capped so hostile input fails cleanly instead of
 * overflowing the stack.
 */
import type { CompareOp, FieldRef, Literal, TriggerNode } from './ast.ts';
import { compileGlob, GlobSyntaxError } from './compile-glob.ts';
import { formatTrigger } from './format-trigger.ts';
import { locate, TriggerSyntaxError } from './trigger-syntax-error.ts';
import { tokenize, type Token } from './tokenize.ts';

export const MAX_TRIGGER_DEPTH = 64;

const RELATIONAL = new Set(['<', '<=', '>', '>=']);

export interface ParsedFql {
  readonly ast: TriggerNode;
  readonly warnings: string[];
}

interface Level {
  readonly node: TriggerNode;
  readonly andAt: number;
  readonly lastAndAt: number;
}

export function parseFql(source: string): ParsedFql {
  const tokens = tokenize(source);
  if (tokens[0].kind === 'end') throw new TriggerSyntaxError(source, 0, 'the trigger is empty');
  const warnings: string[] = [];
  let pos = 0;

  const peek = (): Token => tokens[pos];
  const next = (): Token => tokens[pos++];
  const fail = (token: Token, reason: string): never => {
    throw new TriggerSyntaxError(source, token.start, reason);
  };
  const isWord = (token: Token, word: string) => token.kind === 'word' && token.plain === true && token.path![0] === word;
  const expect = (kind: Token['kind'], what: string): Token => {
    const token = peek();
    if (token.kind !== kind) fail(token, `expected ${what}, found ${describe(token)}`);
    return next();
  };
  const deeper = (token: Token, depth: number): number => {
    if (depth >= MAX_TRIGGER_DEPTH) fail(token, `conditions are nested more than ${MAX_TRIGGER_DEPTH} levels deep`);
    return depth + 1;
  };

  function parseOr(depth: number): TriggerNode {
    const first = parseAnd(depth);
    if (!isWord(peek(), 'or')) return first.node;
    const firstOr = peek().start;
    let lastOr = firstOr;
    const parts = [first];
    while (isWord(peek(), 'or')) {
      lastOr = next().start;
      parts.push(parseAnd(depth));
    }
    const node: TriggerNode = { kind: 'or', children: parts.map((p) => p.node) };
    const mixed = parts.find((p) => p.andAt >= 0);
    if (mixed) {
      const lastAnd = parts.reduce((max, p) => Math.max(max, p.lastAndAt), -1);
      warnings.push(mixWarning(source, node, parts, Math.max(firstOr, mixed.andAt), lastAnd > lastOr ? 'and' : 'or'));
    }
    return node;
  }

  /** Where this level's first and last `and` stand, or -1 when it has none. */
  function parseAnd(depth: number): Level {
    const first = parseUnary(depth);
    if (!isWord(peek(), 'and')) return { node: first, andAt: -1, lastAndAt: -1 };
    const andAt = peek().start;
    let lastAndAt = andAt;
    const children = [first];
    while (isWord(peek(), 'and')) {
      lastAndAt = next().start;
      children.push(parseUnary(depth));
    }
    return { node: { kind: 'and', children }, andAt, lastAndAt };
  }

  function parseUnary(depth: number): TriggerNode {
    const token = peek();
    if (token.kind !== '!') return parsePrimary(depth);
    next();
    return { kind: 'not', operand: parseUnary(deeper(token, depth)) };
  }

  function parsePrimary(depth: number): TriggerNode {
    const token = peek();
    if (token.kind === '(') {
      next();
      const inner = parseOr(deeper(token, depth));
      const close = peek();
      if (close.kind !== ')') {
        const open = locate(source, token.start);
        fail(close, `expected ')' to close the '(' opened at column ${open.column}${source.includes('\n') ? ` of line ${open.line}` : ''}, found ${describe(close)}`);
      }
      next();
      return inner;
    }
    if ((isWord(token, 'contains') || isWord(token, 'match')) && tokens[pos + 1].kind === '(') {
      return parseFunction();
    }
    if (token.kind === 'word') {
      if (token.plain && ['and', 'or'].includes(token.path![0])) fail(token, `expected a condition before '${token.path![0]}'`);
      if (token.plain && ['true', 'false', 'null'].includes(token.path![0])) fail(token, `expected a field name, found ${token.path![0]}`);
      if (isWord(token, 'not') && tokens[pos + 1].kind !== 'op') fail(token, `'not' is not supported; write '!' to negate a condition`);
      return parseComparison();
    }
    if (token.kind === 'string' || token.kind === 'number') {
      return fail(token, `expected a condition, found ${describe(token)}; a condition starts with a field name, e.g. type = "track"`);
    }
    return fail(token, `expected a condition, found ${describe(token)}`);
  }

  function parseFunction(): TriggerNode {
    const name = next().path![0] as 'contains' | 'match';
    next(); // '('
    const fieldTok = peek();
    if (fieldTok.kind !== 'word') fail(fieldTok, `expected a field name as the first argument of ${name}(), found ${describe(fieldTok)}`);
    next();
    expect(',', `',' after the field name in ${name}()`);
    const valueTok = peek();
    if (valueTok.kind !== 'string') fail(valueTok, `expected a string as the second argument of ${name}(), found ${describe(valueTok)}`);
    next();
    expect(')', `')' to close ${name}(`);
    const field = toField(fieldTok);
    const text = valueTok.value as string;
    if (name === 'contains') return { kind: 'contains', field, value: text };
    try {
      compileGlob(text);
    } catch (err) {
      if (err instanceof GlobSyntaxError) fail(valueTok, err.message);
      throw err;
    }
    return { kind: 'match', field, pattern: text };
  }

  function parseComparison(): TriggerNode {
    const fieldTok = next();
    const field = toField(fieldTok);
    const opTok = peek();
    if (opTok.kind !== 'op') {
      const name = fieldTok.text;
      if (opTok.kind === '(' && fieldTok.plain) {
        fail(fieldTok, `unknown function '${name}'; the functions are contains() and match()`);
      }
      if (isWord(opTok, 'in')) fail(opTok, `'in' is not supported; combine conditions with 'or'`);
      fail(opTok, `expected an operator (=, !=, <, <=, >, >=) after '${name}', found ${describe(opTok)}`);
    }
    next();
    const op = opTok.value as CompareOp;
    const valueTok = peek();
    if (RELATIONAL.has(op)) {
      if (valueTok.kind !== 'number') fail(valueTok, `expected a number after '${op}', found ${describe(valueTok)}`);
      next();
      return { kind: 'compare', field, op, value: valueTok.value as number };
    }
    let value: Literal;
    if (valueTok.kind === 'string' || valueTok.kind === 'number') value = valueTok.value!;
    else if (isWord(valueTok, 'true')) value = true;
    else if (isWord(valueTok, 'false')) value = false;
    else if (isWord(valueTok, 'null')) value = null;
    else if (valueTok.kind === 'word') {
      return fail(valueTok, `expected a value after '${op}', found the field ${valueTok.text}; comparing two fields is not supported (quote text: "${valueTok.text}")`);
    } else {
      return fail(valueTok, `expected a value (a string, number, true, false or null) after '${op}', found ${describe(valueTok)}`);
    }
    next();
    return { kind: 'compare', field, op, value };
  }

  const ast = parseOr(0);
  const rest = peek();
  if (rest.kind !== 'end') {
    if (rest.kind === ')') fail(rest, `unexpected ')' without a matching '('`);
    fail(rest, `expected 'and', 'or' or the end of the trigger, found ${describe(rest)}`);
  }
  return { ast, warnings };
}

function toField(token: Token): FieldRef {
  return { path: token.path! };
}

function describe(token: Token): string {
  switch (token.kind) {
    case 'end':
      return 'the end of the trigger';
    case 'string':
      return `the string ${clip(token.text)}`;
    case 'number':
      return `the number ${clip(token.text)}`;
    case 'word': {
      const lower = token.text.toLowerCase();
      if (token.plain && (lower === 'and' || lower === 'or') && token.text !== lower) {
        return `'${token.text}' (operators are lowercase: '${lower}')`;
      }
      return `'${clip(token.text)}'`;
    }
    default:
      return `'${token.text}'`;
  }
}

function clip(text: string): string {
  return text.length > 24 ? text.slice(0, 21) + '...' : text;
}

function mixWarning(source: string, node: TriggerNode, parts: readonly Level[], at: number, last: 'and' | 'or'): string {
  const { line, column } = locate(source, at);
  const where = source.includes('\n') ? `line ${line}, column ${column}` : `column ${column}`;
  // Segment sees one flat list of conditions joined by whichever operator came last.
  const flat = parts.flatMap((p) => (p.andAt >= 0 && p.node.kind === 'and' ? p.node.children : [p.node]));
  const segment = formatTrigger({ kind: last, children: flat });
  return (
    `trigger: 'and' and 'or' are mixed without parentheses at ${where}. ` +
    `supportsync reads it as ${formatTrigger(node)} ('and' binds tighter); ` +
    `Segment would read it as ${segment} (its last operator, '${last}', applies to the whole group). ` +
    `Add parentheses to say which one you mean.`
  );
}
