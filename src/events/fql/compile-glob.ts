/**
 * Glob patterns for `match()`, as in Segment's FQL: the pattern must match the whole
 * string; `*` is any run of characters, `?` one character, `[abc]` / `[a-z]` one of a set
 * (`[!a-z]` or `[^a-z]` negates it), `\x` the character x itself. Case-sensitive.
 *
 * Compiled once: common shapes (`abc`, `abc*`, `*abc`, `*abc*`) become a single string
 * call; the rest use a backtracking-free matcher that is O(text x pattern) at worst, so a
 * hostile pattern cannot hang the event pipeline the way a naive regex could.
 */

type Item =
  | { readonly t: 'lit'; readonly s: string }
  | { readonly t: 'any' }
  | { readonly t: 'star' }
  | { readonly t: 'set'; readonly negate: boolean; readonly ranges: readonly number[] };

export class GlobSyntaxError extends Error {
  /** Offset in the pattern. */
  readonly index: number;
  constructor(message: string, index: number) {
    super(message);
    this.index = index;
  }
}

/** Throws GlobSyntaxError for an unclosed `[` or a trailing `\`. */
export function compileGlob(pattern: string): (text: string) => boolean {
  const items = parseGlob(pattern);
  const stars = items.filter((it) => it.t === 'star').length;
  const lits = items.filter((it) => it.t === 'lit');
  if (items.length === lits.length + stars) {
    const lit = lits.length === 1 ? (lits[0] as { s: string }).s : '';
    const shape = items.map((it) => (it.t === 'star' ? '*' : 'L')).join('');
    switch (shape) {
      case '':
        return (text) => text === '';
      case 'L':
        return (text) => text === lit;
      case '*':
        return () => true;
      case 'L*':
        return (text) => text.startsWith(lit);
      case '*L':
        return (text) => text.endsWith(lit);
      case '*L*':
        return (text) => text.includes(lit);
    }
  }
  return (text) => matchItems(items, text);
}

function parseGlob(pattern: string): Item[] {
  const items: Item[] = [];
  let lit = '';
  const flush = () => {
    if (lit) items.push({ t: 'lit', s: lit });
    lit = '';
  };
  let i = 0;
  while (i < pattern.length) {
    const ch = pattern[i];
    if (ch === '\\') {
      if (i + 1 >= pattern.length) throw new GlobSyntaxError(`match() pattern ends with a lone '\\'`, i);
      const cp = pattern.codePointAt(i + 1)!;
      lit += String.fromCodePoint(cp);
      i += 1 + (cp > 0xffff ? 2 : 1);
    } else if (ch === '*') {
      flush();
      // `**` means the same as `*`.
      if (items.at(-1)?.t !== 'star') items.push({ t: 'star' });
      i++;
    } else if (ch === '?') {
      flush();
      items.push({ t: 'any' });
      i++;
    } else if (ch === '[') {
      flush();
      const [set, next] = parseSet(pattern, i);
      items.push(set);
      i = next;
    } else {
      lit += ch;
      i++;
    }
  }
  flush();
  return items;
}

/** `[...]` starting at `open`; returns the set and the offset after `]`. */
function parseSet(pattern: string, open: number): [Item, number] {
  let i = open + 1;
  const negate = pattern[i] === '!' || pattern[i] === '^';
  if (negate) i++;
  const ranges: number[] = [];
  const readChar = (): number => {
    if (pattern[i] === '\\') i++;
    if (i >= pattern.length) throw new GlobSyntaxError(`match() pattern has an unclosed '['`, open);
    const cp = pattern.codePointAt(i)!;
    i += cp > 0xffff ? 2 : 1;
    return cp;
  };
  let first = true;
  while (first || pattern[i] !== ']') {
    if (i >= pattern.length) throw new GlobSyntaxError(`match() pattern has an unclosed '['`, open);
    first = false;
    const lo = readChar();
    let hi = lo;
    if (pattern[i] === '-' && pattern[i + 1] !== ']' && i + 1 < pattern.length) {
      i++;
      hi = readChar();
      if (hi < lo) throw new GlobSyntaxError(`match() pattern has a backwards range in '[...]'`, open);
    }
    ranges.push(lo, hi);
  }
  return [{ t: 'set', negate, ranges }, i + 1];
}

/** Length in UTF-16 units of the character at `i` (2 for a surrogate pair). */
function charLen(text: string, i: number): number {
  const c = text.charCodeAt(i);
  return c >= 0xd800 && c <= 0xdbff && i + 1 < text.length ? 2 : 1;
}

/** Units consumed if `item` matches at `i`, else -1. `star` is handled by the caller. */
function step(item: Item, text: string, i: number): number {
  switch (item.t) {
    case 'lit':
      return text.startsWith(item.s, i) ? item.s.length : -1;
    case 'any':
      return i < text.length ? charLen(text, i) : -1;
    case 'set': {
      if (i >= text.length) return -1;
      const cp = text.codePointAt(i)!;
      let hit = false;
      for (let r = 0; r < item.ranges.length; r += 2) {
        if (cp >= item.ranges[r] && cp <= item.ranges[r + 1]) {
          hit = true;
          break;
        }
      }
      return hit !== item.negate ? charLen(text, i) : -1;
    }
    default:
      return -1;
  }
}

/**
 * Classic wildcard matching: walk forward, remember the last `*`, and on a mismatch let
 * that star swallow one more character. Only the last star ever needs revisiting, which
 * bounds the work to O(text x pattern).
 */
function matchItems(items: readonly Item[], text: string): boolean {
  let p = 0;
  let s = 0;
  let starP = -1;
  let starS = 0;
  while (s < text.length || p < items.length) {
    if (p < items.length) {
      const item = items[p];
      if (item.t === 'star') {
        starP = p++;
        starS = s;
        continue;
      }
      const used = step(item, text, s);
      if (used >= 0) {
        p++;
        s += used;
        continue;
      }
    }
    if (starP < 0 || starS >= text.length) return false;
    starS += charLen(text, starS);
    s = starS;
    p = starP + 1;
  }
  return true;
}
