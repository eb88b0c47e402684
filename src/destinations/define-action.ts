/**
 * An action is data: what it is called, which events it takes by default (a trigger), its
 * fields with their default mappings, and three functions. `prepare` is pure (payload in,
 * request item out) and shared by `perform` (one item) and `performBatch` (many), so what
 * a batch sends is exactly what single sends would have sent.
 *
 * The payload type is inferred from `fields` (no generated type files):
 *
 *   fields: { userId: { type: 'string', required: true, ... }, data: { type: 'object', ... } }
 *   -> prepare(payload: { userId: string; data?: Record<string, unknown> }, options)
 */
import type { z } from 'zod';

export type FieldType = 'string' | 'number' | 'integer' | 'boolean' | 'datetime' | 'object';

export interface FieldDefinition {
  label: string;
  description: string;
  type: FieldType;
  /** A required field that is missing or invalid filters the event out (with the reason). */
  required?: boolean;
  /** The mapping used when the config does not map this field (Segment's `default`). */
  default?: unknown;
  /** Decided per mapping, not per event: the config must give a literal value (e.g. enableBatching). */
  constant?: boolean;
}

export type Fields = Readonly<Record<string, FieldDefinition>>;

type ValueOf<T extends FieldType> = T extends 'string' | 'datetime'
  ? string
  : T extends 'number' | 'integer'
    ? number
    : T extends 'boolean'
      ? boolean
      : Record<string, unknown>;

type RequiredKeys<F extends Fields> = { [K in keyof F]: F[K]['required'] extends true ? K : never }[keyof F];
type OptionalKeys<F extends Fields> = Exclude<keyof F, RequiredKeys<F>>;

/** The validated payload an action's `prepare` receives; datetimes are ISO 8601 strings. */
export type PayloadOf<F extends Fields> = { [K in RequiredKeys<F>]: ValueOf<F[K]['type']> } & {
  [K in OptionalKeys<F>]?: ValueOf<F[K]['type']>;
};

/** What `prepare` makes of one event. */
export type Prepared<Body> =
  | { ok: true; body: Body; /** Keys left out (over a cap, or rejected), for the status counters. */ droppedKeys?: readonly string[] }
  /** The event is not for this action after all (e.g. a track event without a name). */
  | { ok: false; filteredBecause: string };

export interface BatchingDefaults {
  /** Events per request when batching. */
  size: number;
  /** The largest batch size a config may ask for. */
  maxSize: number;
  /** How long a partial batch may wait for more events. */
  lingerMs: number;
}

/** Passed to perform: hand both to the HTTP request options. */
export interface PerformContext {
  /** Aborted when the pipeline shuts down. */
  signal?: AbortSignal;
  /** Called once per HTTP attempt (counts retries). */
  onRequest?: (label: string) => void;
}

export interface ActionDefinition<F extends Fields = Fields, Options = unknown, Body = unknown, Client = unknown> {
  title: string;
  description: string;
  /** FQL, used when a mapping gives no trigger. */
  defaultTrigger: string;
  fields: F;
  /** Mapping-level options (besides action, trigger and fields), with their defaults. */
  options: z.ZodType<Options>;
  /** Present when the action can send many events in one request. */
  batching?: BatchingDefaults;
  prepare(payload: PayloadOf<F>, options: Options): Prepared<Body>;
  perform(client: Client, body: Body, ctx: PerformContext): Promise<void>;
  performBatch?(client: Client, bodies: Body[], ctx: PerformContext): Promise<void>;
}

/** Identity helper that keeps field literals, so the payload type can be inferred. */
export function defineAction<const F extends Fields, Options, Body, Client>(
  action: ActionDefinition<F, Options, Body, Client>,
): ActionDefinition<F, Options, Body, Client> {
  return Object.freeze(action);
}

/** Any action, whatever its types: what the pipeline and the registry handle. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyAction = ActionDefinition<Fields, any, any, any>;
