/**
 * What a route handler gets and returns. Handlers are synchronous functions of the
 * request (params, raw query, parsed body) and the store; they answer with a Reply.
 */
import type { Reply } from '../../shared/reply.ts';
import type { Router } from '../../shared/router.ts';
import type { GleapStore } from '../store/gleap-store.ts';
import type { EmulatorState } from '../http/emulator-state.ts';

export interface RouteContext {
  store: GleapStore;
  state: EmulatorState;
  method: string;
  /** The path as received (still percent-encoded), without the query. */
  rawPath: string;
  params: Record<string, string>;
  /** The query string as received, without the `?`. */
  rawQuery: string;
  /** The parsed JSON body, or undefined. */
  body: unknown;
}

export type Handler = (ctx: RouteContext) => Reply;
export type GleapRouter = Router<Handler>;

export const ok = (body: unknown): Reply => ({ status: 200, body });
export const fail = (status: number, message: string): Reply => ({ status, body: { message } });
export const notFound = (what: string): Reply => fail(404, `${what} not found`);

/** The body as a plain object, or null when it is something else. */
export function objectBody(body: unknown): Record<string, unknown> | null {
  return body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : null;
}
