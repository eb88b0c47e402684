/**
 * Segment's write-key authentication: HTTP Basic with the write key as the user name and
 * an empty password (what analytics-node sends), or `writeKey` in the JSON body (what
 * browser libraries send). Keys are compared by hash in constant time.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { registerSecret } from '../../core/redact.ts';

const digest = (text: string) => createHash('sha256').update(text).digest();

export interface WriteKeyCheck {
  /** The write key of the Authorization header: undefined when there is none, null when it is malformed. */
  fromHeader(headers: IncomingHttpHeaders): string | undefined | null;
  isValid(key: unknown): boolean;
}

export function createWriteKeyCheck(writeKeys: readonly string[]): WriteKeyCheck {
  for (const key of writeKeys) registerSecret(key);
  const digests = writeKeys.map(digest);
  return {
    fromHeader(headers) {
      const header = headers.authorization;
      if (!header) return undefined;
      const m = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header);
      if (!m) return null;
      const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      return colon >= 0 ? decoded.slice(0, colon) : decoded;
    },
    isValid(key) {
      if (typeof key !== 'string' || key === '') return false;
      const d = digest(key);
      let ok = false;
      for (const known of digests) ok = timingSafeEqual(d, known) || ok;
      return ok;
    },
  };
}
