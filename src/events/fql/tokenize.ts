/**
 * Splits a trigger into tokens. A field path is one token (`context.page.url`), with
 * Segment's backslash escapes for characters outside `a-z A-Z 0-9 _ -`
 * (`properties.product\ 1.price`). Keywords (`and`, `or`, `true`, ...) are ordinary words
 * here; the parser decides what a word means from where it stands.
 */
import { TriggerSyntaxError } from './trigger-syntax-error.ts';

export type TokenKind = 'word' | 'string' | 'number' | 'op' | '!' | '(' | ')' | ',' | 'end';

export interface Token {
  readonly kind: TokenKind;
  /** UTF-16 offsets of the token in the source. */
  readonly start: number;
  readonly end: number;
  /** The token as written. */
  readonly text: string;
  /** Decoded value: the string's content, the number, or the operator. */
  readonly value?: string | number;
  /** For words: the path segments, escapes decoded. */
  readonly path?: readonly string[];
  /** For words: a single segment written without escapes, so it may be a keyword. */
  readonly plain?: boolean;
}

const STRING_ESCAPES: Record<string, string> = {
  '"': '"', "'": "'", '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t',
};
/** Kept as written (backslash included) so `match()` can read them as glob escapes. */
const GLOB_ESCAPES = new Set(['*', '?', '[', ']', '-', '!', '^']);

const NUMBER = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const WORD_START = /[A-Za-z_$\p{L}]/u;
const WORD_CHAR = /[A-Za-z0-9_$\-\p{L}\p{N}]/u;

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  const fail = (offset: number, reason: string): never => {
    throw new TriggerSyntaxError(source, offset, reason);
  };
  let i = 0;
  while (i < source.length) {
    const ch = source[i];
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
      i++;
      continue;
    }
    const start = i;
    const push = (kind: TokenKind, end: number, extra: Partial<Token> = {}) => {
      tokens.push({ kind, start, end, text: source.slice(start, end), ...extra });
      i = end;
    };
    if (ch === '(' || ch === ')' || ch === ',') {
      push(ch, i + 1);
    } else if (ch === '=') {
      if (source[i + 1] === '=') fail(i, `'==' is not an operator; write '=' to compare`);
      push('op', i + 1, { value: '=' });
    } else if (ch === '!') {
      if (source[i + 1] === '=') push('op', i + 2, { value: '!=' });
      else push('!', i + 1);
    } else if (ch === '<' || ch === '>') {
      const op = source[i + 1] === '=' ? ch + '=' : ch;
      push('op', i + op.length, { value: op });
    } else if (ch === '"' || ch === "'") {
      const [value, end] = readString(source, i, fail);
      push('string', end, { value });
    } else if (ch === '-' || (ch >= '0' && ch <= '9')) {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(source);
      if (!m) fail(i, `unexpected '-'; a number must follow it directly`);
      const end = i + m![0].length;
      if (end < source.length && (WORD_CHAR.test(source[end]) || source[end] === '.')) {
        fail(i, `invalid number '${source.slice(i, end + 1)}'`);
      }
      const value = Number(m![0]);
      if (!Number.isFinite(value)) fail(i, `number ${m![0]} is out of range`);
      push('number', end, { value });
    } else if (ch === '\\' || WORD_START.test(ch) || isSurrogateLetter(source, i)) {
      const [path, plain, end] = readPath(source, i, fail);
      push('word', end, { path, plain });
    } else if (ch === '&' || ch === '|') {
      fail(i, `unexpected '${ch}'; combine conditions with 'and' / 'or'`);
    } else if (ch === '[') {
      fail(i, `lists and 'in' are not supported; combine conditions with 'or'`);
    } else {
      fail(i, `unexpected character ${JSON.stringify(String.fromCodePoint(source.codePointAt(i)!))}`);
    }
  }
  tokens.push({ kind: 'end', start: source.length, end: source.length, text: '' });
  return tokens;
}

function readString(source: string, start: number, fail: (o: number, r: string) => never): [string, number] {
  const quote = source[start];
  let out = '';
  let i = start + 1;
  while (i < source.length) {
    const ch = source[i];
    if (ch === quote) return [out, i + 1];
    if (ch !== '\\') {
      // Copy a run of ordinary characters at once.
      let j = i + 1;
      while (j < source.length && source[j] !== quote && source[j] !== '\\') j++;
      out += source.slice(i, j);
      i = j;
      continue;
    }
    const esc = source[i + 1];
    if (esc === undefined) break;
    if (esc in STRING_ESCAPES) {
      out += STRING_ESCAPES[esc];
      i += 2;
    } else if (esc === 'u') {
      const hex = source.slice(i + 2, i + 6);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail(i, `invalid escape '\\u${hex}': expected four hex digits`);
      out += String.fromCharCode(parseInt(hex, 16));
      i += 6;
    } else if (GLOB_ESCAPES.has(esc)) {
      out += '\\' + esc;
      i += 2;
    } else {
      fail(i, `unknown escape '\\${esc}' in a string (write '\\\\' for a backslash)`);
    }
  }
  return fail(start, `unterminated string: missing the closing ${quote}`);
}

function readPath(source: string, start: number, fail: (o: number, r: string) => never): [string[], boolean, number] {
  const path: string[] = [];
  let segment = '';
  let escaped = false;
  let i = start;
  for (;;) {
    const ch = source[i];
    if (ch === '\\') {
      if (i + 1 >= source.length) fail(i, `a field name cannot end with '\\'`);
      const cp = source.codePointAt(i + 1)!;
      segment += String.fromCodePoint(cp);
      escaped = true;
      i += 1 + (cp > 0xffff ? 2 : 1);
    } else if (ch !== undefined && (WORD_CHAR.test(ch) || isSurrogateLetter(source, i))) {
      const step = isSurrogateLetter(source, i) ? 2 : 1;
      segment += source.slice(i, i + step);
      i += step;
    } else if (ch === '.') {
      if (segment === '') fail(i, `expected a field name before '.'`);
      path.push(segment);
      segment = '';
      i++;
      const next = source[i];
      if (next === undefined || !(next === '\\' || WORD_CHAR.test(next) || isSurrogateLetter(source, i))) {
        fail(i, `expected a field name after '.'`);
      }
    } else {
      break;
    }
  }
  path.push(segment);
  return [path, path.length === 1 && !escaped, i];
}

/** Letters outside the Basic Multilingual Plane arrive as surrogate pairs. */
function isSurrogateLetter(source: string, i: number): boolean {
  const code = source.charCodeAt(i);
  if (code < 0xd800 || code > 0xdbff) return false;
  return /[\p{L}\p{N}]/u.test(String.fromCodePoint(source.codePointAt(i)!));
}
