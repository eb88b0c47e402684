/** HTTP Basic with the agent's email as user name and an API token as password. */
export interface ApiUser {
  email: string;
  token: string;
  /** Without the API User permission the credentials are valid but every call is 403. */
  apiUser?: boolean;
}

export type AuthOutcome = 'ok' | 'missing' | 'invalid' | 'forbidden';

export function authenticate(header: string | undefined, users: readonly ApiUser[]): AuthOutcome {
  const m = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header ?? '');
  if (!m) return 'missing';
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return 'invalid';
  const email = decoded.slice(0, colon).toLowerCase();
  const token = decoded.slice(colon + 1);
  const user = users.find((u) => u.email.toLowerCase() === email && u.token === token);
  if (!user) return 'invalid';
  return user.apiUser === false ? 'forbidden' : 'ok';
}
