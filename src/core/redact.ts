/**
 * Secret redaction. Secrets are registered once (when config is loaded, when a client is
 * built) and every log line, error message and run record passes through `redact`.
 * A registry rather than pattern-guessing: we know exactly which values are secret.
 */
const secrets = new Set<string>();
const MASK = '***';

/** Registers a value that must never be printed. Very short values are ignored (too many false hits). */
export function registerSecret(value: string | undefined | null): void {
  if (typeof value === 'string' && value.length >= 4) {
    secrets.add(value);
    // The same secret as it appears inside a Basic auth header or a URL.
    secrets.add(encodeURIComponent(value));
  }
}

/** Masks every registered secret, and credentials in Authorization-like headers. */
export function redact(text: string): string {
  let out = text;
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join(MASK);
  return out
    .replace(/(authorization["']?\s*[:=]\s*["']?(?:bearer|basic)\s+)[^\s"',}]+/gi, `$1${MASK}`)
    .replace(/(api-token["']?\s*[:=]\s*["']?)[^\s"',}]+/gi, `$1${MASK}`)
    .replace(/(\/\/[^/\s:@]+:)[^@\s/]+@/g, `$1${MASK}@`);
}

/** Redacts an error's message (and its cause chain) into a plain string. */
export function redactError(err: unknown): string {
  if (err instanceof Error) return redact(err.message);
  return redact(String(err));
}
