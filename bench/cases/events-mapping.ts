/**
 * Mapping + validation per event: supportsync's compiled pipeline against Segment's own
 * runtime (`@segment/actions-core`) doing the same work on the same events in this run.
 *
 *   ours     trigger match + map + drop empty + validate + prepare, per subscription
 *   segment  Destination.onEvent: per subscription FQL parse + match, mapping-kit transform,
 *            removeEmptyValues, ajv schema validation, perform (the body building of
 *            Segment's Gleap actions, without the HTTP request)
 *   core     the narrower pair: our pipeline.run vs Segment's transform + removeEmptyValues
 *            + validateSchema, for the event's matching action only
 *
 * Both sides get the same actions, fields and default mappings (Segment's definition is
 * built from ours, so the directives are identical). Prints one JSON line.
 * Usage: events-mapping.ts [N=100000]
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { configSchema } from '../../src/config/config-schema.ts';
import type { AnyAction } from '../../src/destinations/define-action.ts';
import { resolveDestinations } from '../../src/destinations/resolve-destinations.ts';
import { validateEvent } from '../../src/events/intake/event-validation.ts';
import { syntheticEvent } from './events-kit.ts';

const require = createRequire(import.meta.url);
// actions-core only loads through CommonJS.
const core = require('@segment/actions-core') as {
  Destination: new (definition: unknown) => { onEvent(event: unknown, settings: unknown): Promise<unknown> };
  transform(mapping: unknown, data: unknown): Record<string, unknown>;
  fieldsToJsonSchema(fields: unknown): unknown;
  validateSchema(payload: unknown, schema: unknown, options: { schemaKey: string }): boolean;
};
// Not in the package's exports: loaded by file, next to its entry point.
const { removeEmptyValues: segmentRemoveEmpty } = require(join(dirname(require.resolve('@segment/actions-core')), 'remove-empty-values.js')) as { removeEmptyValues(p: unknown, schema: unknown, top: boolean): Record<string, unknown> };

const n = Number(process.argv[2] ?? 100_000);
// Events as the queue holds them: validated and normalized by intake.
const events = Array.from({ length: n }, (_, i) => {
  const v = validateEvent(syntheticEvent(i), { receivedAtMs: Date.UTC(2025, 0, 2) });
  if (!v.ok) throw new Error(v.reason);
  return JSON.parse(v.json) as Record<string, unknown>;
});

const [destination] = resolveDestinations(configSchema.parse({ destinations: [{ name: 'g', type: 'gleap', config: { apiToken: 'bench-token' } }] }));
const subs = destination!.subscriptions;

/**
 * What Segment's Gleap actions do in `perform` before their HTTP request, written here
 * plainly (no request is sent): the track event object with page and screen as pageView,
 * and the identify body from first/last name, the picked contact fields and the custom
 * attributes without them. Our side does the same in `prepare`, so both sides do the same work.
 */
const CONTACT_KEYS = ['userId', 'email', 'phone', 'companyName', 'companyId', 'lang', 'plan', 'value', 'createdAt', 'lastActivity'];
const segmentPrepare: Record<string, (payload: Record<string, any>) => unknown> = {
  trackEvent: (p) => {
    const event: Record<string, unknown> = { name: p.eventName, date: p.date, data: p.data, userId: p.userId };
    if (p.type === 'page') Object.assign(event, { name: 'pageView', data: { page: p.pageUrl ?? p.eventName } });
    else if (p.type === 'screen') Object.assign(event, { name: 'pageView', data: { page: p.eventName } });
    return { events: [event] };
  },
  identifyContact: (p) => {
    const body: Record<string, unknown> = p.firstName || p.lastName ? { name: `${p.firstName ?? ''} ${p.lastName ?? ''}`.trim() } : {};
    for (const k of CONTACT_KEYS) if (p[k] !== undefined) body[k] = p[k];
    for (const [k, v] of Object.entries(p.customAttributes ?? {})) if (!CONTACT_KEYS.includes(k) && k !== 'firstName' && k !== 'lastName') body[k] = v;
    if (p.lastPageView) body.lastPageView = { page: p.lastPageView, date: p.lastActivity };
    return body;
  },
};

/** Segment's InputField from ours: same type, label, description, required, default. */
const segmentFields = (action: AnyAction) =>
  Object.fromEntries(Object.entries(action.fields).map(([k, f]) => [k, { label: f.label, description: f.description, type: f.type, required: f.required ?? false, ...(f.default !== undefined ? { default: f.default } : {}) }]));
const segmentDefinition = {
  name: 'Gleap (bench)',
  mode: 'cloud',
  authentication: { scheme: 'custom', fields: { apiToken: { type: 'string', label: 'Secret API token', description: 'x', required: true } } },
  actions: Object.fromEntries(subs.map((s) => [s.actionName, { title: s.action.title, description: s.action.description, defaultSubscription: s.trigger.source, fields: segmentFields(s.action), perform: (_request: unknown, { payload }: { payload: Record<string, unknown> }) => void segmentPrepare[s.actionName]!(payload) }])),
};
const segment = new core.Destination(segmentDefinition);
const settings = {
  apiToken: 'bench-token',
  subscriptions: subs.map((s) => ({ partnerAction: s.actionName, subscribe: s.trigger.source, mapping: s.pipeline.fields })),
};

let delivered = 0;
let filtered = 0;
const ours = async () => {
  delivered = 0;
  filtered = 0;
  for (const event of events) {
    for (const sub of subs) {
      if (!sub.trigger.matches(event)) continue;
      const r = sub.pipeline.run(event);
      if (r.ok) delivered++;
      else filtered++;
    }
  }
};
const theirs = async () => {
  for (const event of events) {
    try {
      await segment.onEvent(event, settings);
    } catch {
      // A validation failure (e.g. no userId) throws in Segment's runtime: that is its "filtered".
    }
  }
};

const schemas = new Map(subs.map((s) => [s.actionName, core.fieldsToJsonSchema(segmentFields(s.action))]));
const ourCore = async () => {
  for (const event of events) {
    const sub = event.type === 'identify' ? subs[1]! : subs[0]!;
    sub.pipeline.run(event);
  }
};
const theirCore = async () => {
  for (const event of events) {
    const sub = event.type === 'identify' ? subs[1]! : subs[0]!;
    const schema = schemas.get(sub.actionName);
    try {
      const payload = segmentRemoveEmpty(core.transform(sub.pipeline.fields, event), schema, true);
      core.validateSchema(payload, schema, { schemaKey: `bench:${sub.actionName}` });
    } catch {
      // as above
    }
  }
};

// Warm both up (JIT, schema compilation), then measure in interleaved rounds (the machine's
// load drifts; interleaving exposes both sides to the same drift) and keep each side's best.
const warm = events.slice(0, 2000);
for (const e of warm) for (const s of subs) if (s.trigger.matches(e)) s.pipeline.run(e);
for (const e of warm) await segment.onEvent(e, settings).catch(() => {});
const variants = { ours, segment: theirs, oursCore: ourCore, segmentCore: theirCore };
const bestSeconds: Record<string, number> = {};
for (let round = 0; round < 5; round++) {
  for (const [name, fn] of Object.entries(variants)) {
    const started = performance.now();
    await fn();
    const seconds = (performance.now() - started) / 1000;
    bestSeconds[name] = Math.min(bestSeconds[name] ?? Infinity, seconds);
    process.stderr.write(`round ${round + 1} ${name}: ${Math.round(n / seconds)} events/s\n`);
  }
}
const oursSeconds = bestSeconds.ours!;
const segmentSeconds = bestSeconds.segment!;
const oursCoreSeconds = bestSeconds.oursCore!;
const segmentCoreSeconds = bestSeconds.segmentCore!;

console.log(
  JSON.stringify({
    events: n,
    delivered,
    filtered,
    oursPerSecond: n / oursSeconds,
    segmentPerSecond: n / segmentSeconds,
    speedup: segmentSeconds / oursSeconds,
    oursCorePerSecond: n / oursCoreSeconds,
    segmentCorePerSecond: n / segmentCoreSeconds,
    coreSpeedup: segmentCoreSeconds / oursCoreSeconds,
    oursMicrosPerEvent: (oursSeconds / n) * 1e6,
    segmentMicrosPerEvent: (segmentSeconds / n) * 1e6,
  }),
);
