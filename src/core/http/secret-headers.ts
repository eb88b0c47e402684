/**
 * Registers the credentials a client sends so that the redactor masks them everywhere,
 * including in the forms they take on the wire (`Basic base64(user:token)`).
 */
import { registerSecret } from '../redact.ts';

export const DEFAULT_SECRET_HEADERS: readonly string[] = [
  'authorization',
  'proxy-authorization',
  'api-token',
  'x-api-key',
  'api-key',
  'cookie',
];

export function registerHeaderSecrets(headers: Record<string, string> | undefined, secretNames: readonly string[]): void {
  if (!headers) return;
  const names = new Set(secretNames.map((n) => n.toLowerCase()));
  for (const [name, value] of Object.entries(headers)) {
    if (!names.has(name.toLowerCase()) || typeof value !== 'string') continue;
    registerSecret(value);
    const scheme = /^(\w+)\s+(.+)$/.exec(value.trim());
    if (!scheme) continue;
    registerSecret(scheme[2]);
    if (scheme[1].toLowerCase() === 'basic') {
      const decoded = Buffer.from(scheme[2], 'base64').toString('utf8');
      registerSecret(decoded);
      const colon = decoded.indexOf(':');
      if (colon >= 0) registerSecret(decoded.slice(colon + 1));
    }
  }
}
