/**
 * A tiny method + path router. Patterns use `:name` segments (`/v3/sessions/:id`); a
 * static segment beats a parameter at the same position, so `/v3/sessions/search` wins
 * over `/v3/sessions/:id` whatever the registration order. Parameters arrive
 * URL-decoded. The matched pattern names the route in statistics.
 */
export interface RouteMatch<H> {
  handler: H;
  params: Record<string, string>;
  /** `GET /v3/sessions/:id`, stable across requests: a key for per-route counts. */
  route: string;
}

export type RouteResult<H> =
  | ({ kind: 'found' } & RouteMatch<H>)
  | { kind: 'method-not-allowed'; allowed: string[] }
  | { kind: 'not-found' }
  | { kind: 'bad-path' };

interface Route<H> {
  method: string;
  pattern: string;
  segments: string[];
  handler: H;
}

export interface Router<H> {
  add(method: string, pattern: string, handler: H): Router<H>;
  match(method: string, rawPath: string): RouteResult<H>;
}

export function createRouter<H>(): Router<H> {
  const routes: Route<H>[] = [];
  const router: Router<H> = {
    add(method, pattern, handler) {
      routes.push({ method: method.toUpperCase(), pattern, segments: split(pattern), handler });
      return router;
    },
    match(method, rawPath) {
      const parts = split(rawPath);
      let best: { route: Route<H>; score: string } | null = null;
      const allowed = new Set<string>();
      for (const route of routes) {
        const score = scoreOf(route.segments, parts);
        if (score === null) continue;
        if (route.method !== method.toUpperCase()) {
          allowed.add(route.method);
          continue;
        }
        if (!best || score > best.score) best = { route, score };
      }
      if (!best) return allowed.size ? { kind: 'method-not-allowed', allowed: [...allowed] } : { kind: 'not-found' };
      const params: Record<string, string> = {};
      try {
        best.route.segments.forEach((seg, i) => {
          if (seg.startsWith(':')) params[seg.slice(1)] = decodeURIComponent(parts[i]);
        });
      } catch {
        return { kind: 'bad-path' };
      }
      return { kind: 'found', handler: best.route.handler, params, route: `${best.route.method} ${best.route.pattern}` };
    },
  };
  return router;
}

function split(path: string): string[] {
  return path.split('/').filter((s) => s.length > 0);
}

/** Null when the pattern does not fit; otherwise a string that sorts higher for more static segments earlier. */
function scoreOf(pattern: string[], parts: string[]): string | null {
  if (pattern.length !== parts.length) return null;
  let score = '';
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i].startsWith(':')) score += '1';
    else if (pattern[i] === parts[i]) score += '2';
    else return null;
  }
  return score;
}
