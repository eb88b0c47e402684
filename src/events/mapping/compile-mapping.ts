/**
 * Field mappings in Segment's mapping-kit language, compiled once at load into closures:
 *
 *   const map = compileMapping({
 *     userId: { '@path': '$.userId' },
 *     name: { '@template': '{{traits.first_name}} {{traits.last_name}}' },
 *   });
 *   map(event); // { userId: 'u1', name: 'Ada Lovelace' }
 *
 * Compiling validates everything (unknown directives, bad options, malformed paths and
 * templates) and reports every problem at once in a MappingError. Running a compiled
 * mapping never throws and never re-parses: each event costs only the lookups the mapping
 * names. Raw values pass through, objects and arrays recurse, fields that resolve to
 * `undefined` are left out (null and "" stay). See ./README.md for each directive.
 */
import { closestName } from '../../core/edit-distance.ts';
import { childAt, MappingError, type MappingIssue } from './mapping-error.ts';
import { DIRECTIVES, DIRECTIVE_NAMES } from './directives.ts';
import { setKey } from './set-key.ts';
import { describeType, isPlainObject } from './json-value.ts';

/** A compiled mapping value: event in, mapped value out (`undefined` = leave the field out). */
export type Resolver = (root: unknown) => unknown;

export type CompiledMapping = (event: unknown) => Record<string, unknown>;

/** What a directive's compiler gets to compile its arguments and report problems. */
export interface Compiler {
  /** Compiles a nested mapping value. */
  value(v: unknown, at: string): Resolver;
  /** Records a problem and returns a stand-in resolver so compilation can go on. */
  problem(at: string, message: string): Resolver;
}

/** Objects, arrays and directives nest at most this deep in a mapping. */
export const MAX_MAPPING_DEPTH = 64;

const UNDEFINED: Resolver = () => undefined;

/** Compiles a `fields` object. Throws MappingError listing every problem. */
export function compileMapping(fields: Record<string, unknown>, at = 'fields'): CompiledMapping {
  const { resolver, issues } = compile(fields, at, true);
  if (issues.length > 0) throw new MappingError(issues);
  return resolver as CompiledMapping;
}

/** Compiles any mapping value (a directive, an object, an array or a raw value). */
export function compileMappingValue(value: unknown, at = 'mapping'): Resolver {
  const { resolver, issues } = compile(value, at, false);
  if (issues.length > 0) throw new MappingError(issues);
  return resolver;
}

/** Every problem in a mapping value, without throwing; [] when it is valid. */
export function mappingIssues(value: unknown, at = 'mapping'): MappingIssue[] {
  return compile(value, at, false).issues;
}

function compile(root: unknown, rootAt: string, asFields: boolean): { resolver: Resolver; issues: MappingIssue[] } {
  const issues: MappingIssue[] = [];
  let depth = 0;
  const compiler: Compiler = {
    value(v, at) {
      if (depth >= MAX_MAPPING_DEPTH) return compiler.problem(at, `is nested more than ${MAX_MAPPING_DEPTH} levels deep`);
      depth++;
      try {
        return compileValue(v, at, compiler);
      } finally {
        depth--;
      }
    },
    problem(at, message) {
      issues.push({ at, message });
      return UNDEFINED;
    },
  };
  if (asFields) {
    if (!isPlainObject(root)) {
      compiler.problem(rootAt, `should be an object of field mappings, got ${describeType(root)}`);
    } else if (Object.keys(root).some((k) => k.startsWith('@'))) {
      compiler.problem(rootAt, `should map field names to values; a directive (${Object.keys(root).find((k) => k.startsWith('@'))}) belongs under a field name`);
    }
    if (issues.length > 0) return { resolver: UNDEFINED, issues };
  }
  return { resolver: compiler.value(root, rootAt), issues };
}

function compileValue(v: unknown, at: string, c: Compiler): Resolver {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return () => v;
    case 'number':
      return Number.isFinite(v) ? () => v : c.problem(at, `is ${v}, which JSON cannot carry`);
    case 'undefined':
      return UNDEFINED;
    case 'object':
      if (v === null) return () => null;
      if (Array.isArray(v)) return compileArray(v, at, c);
      if (!isPlainObject(v)) return c.problem(at, `is ${describeType(v)}; expected a JSON value or a directive`);
      return Object.keys(v).some((k) => k.startsWith('@')) ? compileDirective(v, at, c) : compileObject(v, at, c);
    default:
      return c.problem(at, `is ${describeType(v)}; expected a JSON value or a directive`);
  }
}

function compileDirective(obj: Record<string, unknown>, at: string, c: Compiler): Resolver {
  const keys = Object.keys(obj);
  const names = keys.filter((k) => k.startsWith('@'));
  // `_metadata` rides along with directives in Segment's UI; it never affects the result.
  const others = keys.filter((k) => !k.startsWith('@') && k !== '_metadata');
  if (names.length > 1) {
    return c.problem(at, `has ${names.length} directives (${names.join(', ')}); a directive object has exactly one @-key, so give each its own field`);
  }
  const [name] = names;
  if (others.length > 0) {
    return c.problem(at, `mixes the directive ${name} with other keys (${others.join(', ')}); put the directive under a key of its own`);
  }
  const directive = Object.hasOwn(DIRECTIVES, name) ? DIRECTIVES[name] : undefined;
  if (!directive) {
    const hint = closestName(name, DIRECTIVE_NAMES, 2);
    return c.problem(at, `unknown directive ${JSON.stringify(name)}; expected one of ${DIRECTIVE_NAMES.join(', ')}${hint ? ` (did you mean ${hint}?)` : ''}`);
  }
  return directive(obj[name], childAt(at, name), c);
}

function compileObject(obj: Record<string, unknown>, at: string, c: Compiler): Resolver {
  const keys = Object.keys(obj);
  const fns = keys.map((k) => c.value(obj[k], childAt(at, k)));
  const n = keys.length;
  if (keys.includes('__proto__')) {
    return (root) => {
      const out: Record<string, unknown> = {};
      for (let i = 0; i < n; i++) {
        const v = fns[i](root);
        if (v !== undefined) setKey(out, keys[i], v);
      }
      return out;
    };
  }
  return (root) => {
    const out: Record<string, unknown> = {};
    for (let i = 0; i < n; i++) {
      const v = fns[i](root);
      if (v !== undefined) out[keys[i]] = v;
    }
    return out;
  };
}

function compileArray(items: readonly unknown[], at: string, c: Compiler): Resolver {
  const fns = items.map((item, i) => c.value(item, childAt(at, i)));
  const n = fns.length;
  // An item that resolves to nothing keeps its place as null, which is how Segment's
  // payload reaches the wire (JSON.stringify turns undefined items into null).
  return (root) => {
    const out = new Array(n);
    for (let i = 0; i < n; i++) {
      const v = fns[i](root);
      out[i] = v === undefined ? null : v;
    }
    return out;
  };
}
