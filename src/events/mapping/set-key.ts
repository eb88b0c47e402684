/**
 * Assigns a property on a mapped object. Keys come from configs and events, and a plain
 * `out["__proto__"] = v` would replace the object's prototype instead of adding a key.
 */
export function setKey(out: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    out[key] = value;
  }
}
