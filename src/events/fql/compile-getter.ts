/**
 * Looks up a pre-split path in a JSON value. Built once per field so the hot path is a
 * few property reads: no string splitting, no allocation.
 *
 * Only objects and arrays are walked into (a string has no `.length` field here), and
 * names that every object inherits (`constructor`, `__proto__`, `toString`, array methods)
 * count only when the data really holds them, so a trigger or mapping can never reach
 * into JavaScript internals.
 */
export type Getter = (root: unknown) => unknown;

const INHERITED = new Set<string>([
  ...Object.getOwnPropertyNames(Object.prototype),
  ...Object.getOwnPropertyNames(Array.prototype),
  '__proto__',
]);

export function compileGetter(path: readonly string[]): Getter {
  const keys = path.slice();
  if (keys.some((k) => INHERITED.has(k))) return (root) => safeWalk(root, keys);
  switch (keys.length) {
    case 0:
      return (root) => root;
    case 1: {
      const [a] = keys;
      return (root) => (root !== null && typeof root === 'object' ? (root as any)[a] : undefined);
    }
    case 2: {
      const [a, b] = keys;
      return (root) => {
        if (root === null || typeof root !== 'object') return undefined;
        const v = (root as any)[a];
        return v !== null && typeof v === 'object' ? v[b] : undefined;
      };
    }
    case 3: {
      const [a, b, c] = keys;
      return (root) => {
        if (root === null || typeof root !== 'object') return undefined;
        let v = (root as any)[a];
        if (v === null || typeof v !== 'object') return undefined;
        v = v[b];
        return v !== null && typeof v === 'object' ? v[c] : undefined;
      };
    }
    default:
      return (root) => walk(root, keys);
  }
}

function walk(root: unknown, keys: readonly string[]): unknown {
  let v: any = root;
  for (let i = 0; i < keys.length; i++) {
    if (v === null || typeof v !== 'object') return undefined;
    v = v[keys[i]];
  }
  return v;
}

function safeWalk(root: unknown, keys: readonly string[]): unknown {
  let v: any = root;
  for (let i = 0; i < keys.length; i++) {
    if (v === null || typeof v !== 'object' || !Object.hasOwn(v, keys[i])) return undefined;
    v = v[keys[i]];
  }
  return v;
}
