/**
 * The mapping directives, one compiler each: check the directive's arguments at load,
 * return a closure that does the work per event. Semantics follow Segment's mapping-kit;
 * the few places where we deliberately differ are marked "Segment:" and listed in README.
 */
import { compileGetter } from '../fql/compile-getter.ts';
import { childAt } from './mapping-error.ts';
import { parsePath } from './parse-path.ts';
import { compileTemplate } from './compile-template.ts';
import { compileReplace } from './compile-replace.ts';
import { flattenValue } from './flatten-value.ts';
import { describeType, isPlainObject } from './json-value.ts';
import { setKey } from './set-key.ts';
import type { Compiler, Resolver } from './compile-mapping.ts';

export type DirectiveCompiler = (arg: unknown, at: string, c: Compiler) => Resolver;

type Need = 'required' | 'optional';

const NOTHING: Resolver = () => undefined;

export const DIRECTIVES: Readonly<Record<string, DirectiveCompiler>> = {
  '@path': compilePath,
  '@template': compileTemplateDirective,
  '@if': compileIf,
  '@arrayPath': compileArrayPath,
  '@literal': (arg, at, c) => c.value(arg, at),
  '@case': compileCase,
  '@replace': compileReplaceDirective,
  '@merge': compileMerge,
  '@flatten': compileFlatten,
  '@json': compileJson,
  '@excludeWhenNull': (arg, at, c) => {
    const inner = c.value(arg, at);
    return (root) => {
      const v = inner(root);
      return v === null ? undefined : v;
    };
  },
};

export const DIRECTIVE_NAMES: readonly string[] = Object.keys(DIRECTIVES);

function compilePath(arg: unknown, at: string, c: Compiler): Resolver {
  if (typeof arg === 'string') {
    const parsed = parsePath(arg);
    return parsed.ok ? compileGetter(parsed.path) : c.problem(at, parsed.message);
  }
  if (isDirective(arg)) {
    // A path computed per event: parse each distinct one once.
    const text = c.value(arg, at);
    const getterFor = memo((p: string) => {
      const parsed = parsePath(p);
      return parsed.ok ? compileGetter(parsed.path) : undefined;
    });
    return (root) => {
      const p = text(root);
      const get = typeof p === 'string' ? getterFor(p) : undefined;
      return get ? get(root) : undefined;
    };
  }
  return c.problem(at, `needs a path string like "$.traits.email" (or a directive that yields one), got ${describeType(arg)}`);
}

function compileTemplateDirective(arg: unknown, at: string, c: Compiler): Resolver {
  if (typeof arg === 'string') {
    const compiled = compileTemplate(arg);
    return compiled.ok ? compiled.render : c.problem(at, compiled.message);
  }
  if (isDirective(arg)) {
    const text = c.value(arg, at);
    const renderFor = memo((t: string) => {
      const compiled = compileTemplate(t);
      return compiled.ok ? compiled.render : undefined;
    });
    return (root) => {
      const t = text(root);
      const render = typeof t === 'string' ? renderFor(t) : undefined;
      return render ? render(root) : undefined;
    };
  }
  return c.problem(at, `needs a template string like "{{traits.first_name}}", got ${describeType(arg)}`);
}

/**
 * `{ exists | blank: <value>, then?, else? }`. `exists` holds when the value is neither
 * undefined nor null; `blank` is the opposite of "undefined, null or ''" (Segment: its loose
 * `!= ''` also counts 0, false and [] as blank, and an `else` of false, 0 or "" is ignored).
 */
function compileIf(arg: unknown, at: string, c: Compiler): Resolver {
  const opts = options(arg, at, c, '@if', { exists: 'optional', blank: 'optional', then: 'optional', else: 'optional' });
  if (!opts) return NOTHING;
  const hasExists = opts.exists !== undefined;
  const hasBlank = opts.blank !== undefined;
  if (hasExists === hasBlank) {
    return c.problem(at, hasExists ? 'has both "exists" and "blank"; use one of them' : 'needs a condition: "exists" or "blank"');
  }
  if (opts.then === undefined && opts.else === undefined) c.problem(at, 'needs "then" or "else"');
  const test = hasExists ? c.value(opts.exists, childAt(at, 'exists')) : c.value(opts.blank, childAt(at, 'blank'));
  const then = opts.then === undefined ? undefined : c.value(opts.then, childAt(at, 'then'));
  const otherwise = opts.else === undefined ? undefined : c.value(opts.else, childAt(at, 'else'));
  return (root) => {
    const v = test(root);
    const holds = v !== undefined && v !== null && (hasExists || v !== '');
    const branch = holds ? then : otherwise;
    return branch ? branch(root) : undefined;
  };
}

/**
 * `["$.products", { productId: { "@path": "$.product_id" } }]`: each item of the array
 * (a lone object counts as a one-item array) is mapped by the shape, with paths relative
 * to the item. Without a shape, or for anything but an object or array, the value itself.
 */
function compileArrayPath(arg: unknown, at: string, c: Compiler): Resolver {
  if (!Array.isArray(arg) || arg.length < 1 || arg.length > 2) {
    return c.problem(at, `needs ["$.path"] or ["$.path", { ...item mapping }], got ${describeType(arg)}${Array.isArray(arg) ? ` of ${arg.length} items` : ''}`);
  }
  const [source, shape] = arg;
  const sourceAt = childAt(at, 0);
  let data: Resolver;
  if (typeof source === 'string') {
    const parsed = parsePath(source);
    data = parsed.ok ? compileGetter(parsed.path) : c.problem(sourceAt, parsed.message);
  } else if (isPlainObject(source)) {
    // Segment: a directive here yields the data itself, not a path to it.
    data = c.value(source, sourceAt);
  } else {
    data = c.problem(sourceAt, `should be a path string like "$.products" or a directive, got ${describeType(source)}`);
  }
  if (shape === undefined || (isPlainObject(shape) && Object.keys(shape).length === 0)) return data;
  if (!isPlainObject(shape)) return c.problem(childAt(at, 1), `should be an object describing each item, got ${describeType(shape)}`);
  const item = c.value(shape, childAt(at, 1));
  return (root) => {
    const v = data(root);
    if (v === null || typeof v !== 'object') return v;
    const list = Array.isArray(v) ? v : [v];
    const out = new Array(list.length);
    for (let i = 0; i < list.length; i++) {
      const mapped = item(list[i]);
      out[i] = mapped === undefined ? null : mapped;
    }
    return out;
  };
}

/** `{ operator: 'lower' | 'upper', value }`; values other than strings pass unchanged. */
function compileCase(arg: unknown, at: string, c: Compiler): Resolver {
  const opts = options(arg, at, c, '@case', { operator: 'required', value: 'required' });
  if (!opts) return NOTHING;
  const operator = oneOf(opts, 'operator', ['lower', 'upper'], at, c);
  const value = c.value(opts.value, childAt(at, 'value'));
  const upper = operator === 'upper';
  return (root) => {
    const v = value(root);
    return typeof v !== 'string' ? v : upper ? v.toUpperCase() : v.toLowerCase();
  };
}

/**
 * `{ pattern, replacement?, pattern2?, replacement2?, value, ignorecase?, global? }`.
 * Numbers and booleans are replaced in their text form; other values give nothing
 * (Segment: "").
 */
function compileReplaceDirective(arg: unknown, at: string, c: Compiler): Resolver {
  const opts = options(arg, at, c, '@replace', {
    pattern: 'required', replacement: 'optional', pattern2: 'optional', replacement2: 'optional',
    value: 'required', ignorecase: 'optional', global: 'optional',
  });
  if (!opts) return NOTHING;
  const ignoreCase = flag(opts, 'ignorecase', false, at, c);
  const global = flag(opts, 'global', true, at, c);
  const step = (patternKey: string, replacementKey: string) => {
    const pattern = opts[patternKey];
    const replacement = opts[replacementKey] ?? '';
    let ok = true;
    if (pattern !== undefined && (typeof pattern !== 'string' || pattern === '')) {
      c.problem(childAt(at, patternKey), `should be a non-empty string (the literal text to replace), got ${describeType(pattern)}`);
      ok = false;
    }
    if (typeof replacement !== 'string') {
      c.problem(childAt(at, replacementKey), `should be a string, got ${describeType(replacement)}`);
      ok = false;
    }
    return ok && typeof pattern === 'string' ? compileReplace(pattern, replacement as string, global, ignoreCase) : (t: string) => t;
  };
  const first = step('pattern', 'replacement');
  const second = opts.pattern2 === undefined ? undefined : step('pattern2', 'replacement2');
  if (opts.pattern2 === undefined && opts.replacement2 !== undefined) c.problem(childAt(at, 'replacement2'), 'needs "pattern2"');
  const value = c.value(opts.value, childAt(at, 'value'));
  return (root) => {
    const v = value(root);
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') return undefined;
    const replaced = first(String(v));
    return second ? second(replaced) : replaced;
  };
}

/**
 * `{ objects: [...], direction: 'left' | 'right' }`: a shallow merge where, for a key in
 * several objects, the rightmost ('right') or leftmost ('left') one wins. Values that are
 * not objects are skipped, and a key that resolves to nothing never erases another
 * object's value (Segment's Object.assign would let it).
 */
function compileMerge(arg: unknown, at: string, c: Compiler): Resolver {
  const opts = options(arg, at, c, '@merge', { objects: 'required', direction: 'required' });
  if (!opts) return NOTHING;
  const direction = oneOf(opts, 'direction', ['left', 'right'], at, c);
  if (!Array.isArray(opts.objects)) return c.problem(childAt(at, 'objects'), `should be an array of objects to merge, got ${describeType(opts.objects)}`);
  const parts = opts.objects.map((o, i) => c.value(o, childAt(childAt(at, 'objects'), i)));
  // Apply in an order where the winner comes last.
  if (direction === 'left') parts.reverse();
  return (root) => {
    const out: Record<string, unknown> = {};
    for (let p = 0; p < parts.length; p++) {
      const o = parts[p](root);
      if (o === null || typeof o !== 'object' || Array.isArray(o)) continue;
      const keys = Object.keys(o);
      for (let k = 0; k < keys.length; k++) {
        const v = (o as Record<string, unknown>)[keys[k]];
        if (v !== undefined) setKey(out, keys[k], v);
      }
    }
    return out;
  };
}

/** `{ value, separator, omitArrays? }`, see flatten-value.ts. */
function compileFlatten(arg: unknown, at: string, c: Compiler): Resolver {
  const opts = options(arg, at, c, '@flatten', { value: 'required', separator: 'required', omitArrays: 'optional' });
  if (!opts) return NOTHING;
  const separator = opts.separator;
  if (typeof separator !== 'string' || separator === '') {
    c.problem(childAt(at, 'separator'), `should be a non-empty string such as ".", got ${describeType(separator)}`);
  }
  const omitArrays = flag(opts, 'omitArrays', false, at, c);
  const value = c.value(opts.value, childAt(at, 'value'));
  const sep = String(separator);
  return (root) => flattenValue(value(root), sep, omitArrays);
}

/**
 * `{ value, mode: 'encode' | 'decode' }`. Encoding gives JSON text; decoding parses a
 * string and passes other values through. Text that is not JSON decodes to nothing
 * (Segment: the whole event fails).
 */
function compileJson(arg: unknown, at: string, c: Compiler): Resolver {
  const opts = options(arg, at, c, '@json', { value: 'required', mode: 'required' });
  if (!opts) return NOTHING;
  const mode = oneOf(opts, 'mode', ['encode', 'decode'], at, c);
  const value = c.value(opts.value, childAt(at, 'value'));
  if (mode === 'encode') {
    return (root) => {
      const v = value(root);
      if (v === undefined) return undefined;
      try {
        return JSON.stringify(v);
      } catch {
        return undefined;
      }
    };
  }
  return (root) => {
    const v = value(root);
    if (typeof v !== 'string') return v;
    try {
      return JSON.parse(v);
    } catch {
      return undefined;
    }
  };
}

// ---- argument checks ----

function isDirective(v: unknown): v is Record<string, unknown> {
  return isPlainObject(v) && Object.keys(v).some((k) => k.startsWith('@'));
}

/**
 * The options object of a directive: reports unknown and missing keys, and returns the
 * object (even with problems, so nested values still get checked) or undefined when it is
 * not an object at all.
 */
function options(arg: unknown, at: string, c: Compiler, name: string, spec: Record<string, Need>): Record<string, unknown> | undefined {
  const keys = Object.keys(spec);
  if (!isPlainObject(arg) || isDirective(arg)) {
    c.problem(at, `${name} needs an object with ${keys.map((k) => (spec[k] === 'required' ? k : `${k}?`)).join(', ')}; got ${isDirective(arg) ? 'a directive' : describeType(arg)}`);
    return undefined;
  }
  for (const key of Object.keys(arg)) {
    if (!Object.hasOwn(spec, key) && key !== '_metadata') {
      c.problem(childAt(at, key), `is not an option of ${name}; expected ${keys.join(', ')}`);
    }
  }
  for (const key of keys) {
    if (spec[key] === 'required' && arg[key] === undefined) c.problem(at, `${name} needs "${key}"`);
  }
  return arg;
}

function oneOf<T extends string>(opts: Record<string, unknown>, key: string, allowed: readonly T[], at: string, c: Compiler): T | undefined {
  const v = opts[key];
  if (typeof v === 'string' && (allowed as readonly string[]).includes(v)) return v as T;
  if (v !== undefined) c.problem(childAt(at, key), `should be ${allowed.map((a) => `"${a}"`).join(' or ')}, got ${describeType(v)}`);
  return undefined;
}

function flag(opts: Record<string, unknown>, key: string, fallback: boolean, at: string, c: Compiler): boolean {
  const v = opts[key];
  if (v === undefined || v === null) return fallback;
  if (typeof v === 'boolean') return v;
  c.problem(childAt(at, key), `should be true or false, got ${describeType(v)}`);
  return fallback;
}

/** Caches a per-text build for directives whose argument is computed per event. */
function memo<T>(build: (text: string) => T | undefined): (text: string) => T | undefined {
  const cache = new Map<string, T | undefined>();
  return (text) => {
    if (cache.has(text)) return cache.get(text);
    if (cache.size >= 256) cache.clear();
    const built = build(text);
    cache.set(text, built);
    return built;
  };
}
