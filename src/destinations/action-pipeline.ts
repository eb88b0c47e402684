/**
 * One explicit pipeline per event and mapping, compiled once at load:
 *
 *   map (the mapping's field directives) -> drop empty values -> validate -> prepare
 *
 * (The middle two run as one compiled pass, see validate-payload.ts; for typed fields, which
 * all action fields are, dropping empty values is exactly Segment's removeEmptyValues.)
 *
 * Compiling checks everything a config can get wrong (unknown fields, bad directives,
 * constants that are not constants) and throws a MappingError naming each spot, so a
 * broken mapping fails at load rather than at the first event. Running never throws.
 */
import { closestName } from '../core/edit-distance.ts';
import { compileMapping } from '../events/mapping/compile-mapping.ts';
import { childAt, MappingError, type MappingIssue } from '../events/mapping/mapping-error.ts';
import type { AnyAction, FieldDefinition } from './define-action.ts';
import { coerceValue, compileValidator, TYPE_NAMES } from './validate-payload.ts';

export type PipelineResult<Body = unknown> =
  | { ok: true; body: Body; droppedKeys: readonly string[] }
  | { ok: false; filteredBecause: string };

export interface ActionPipeline<Body = unknown> {
  /** Event in, request item out (or why the event is filtered). Never throws. */
  run(event: unknown): PipelineResult<Body>;
  /** Values of the action's constant fields, as the config set them or by default. */
  constants: Readonly<Record<string, unknown>>;
  /** The field mappings in effect: the action's defaults with the config's fields over them. */
  fields: Readonly<Record<string, unknown>>;
}

const NO_DROPS: readonly string[] = Object.freeze([]);

function suggest(name: string, known: string[]): string {
  const best = closestName(name, known, Math.max(2, Math.floor(name.length / 3)));
  return best ? ` (did you mean ${best}?)` : '';
}

/**
 * Compiles the pipeline of `action` for one mapping. `fields` are the config's field
 * mappings (each replaces that field's default; `null` turns a default off), `options` the
 * mapping's action options (already validated), `at` the config path of the mapping's
 * `fields` for messages (e.g. `destinations[0].mappings[1].fields`).
 */
export function compileActionPipeline<Body>(
  action: AnyAction,
  fields: Record<string, unknown> | undefined,
  options: unknown,
  at = 'fields',
): ActionPipeline<Body> {
  const declared = Object.keys(action.fields);
  const issues: MappingIssue[] = [];
  const given = fields ?? {};
  for (const name of Object.keys(given)) {
    if (!Object.hasOwn(action.fields, name)) {
      issues.push({ at: childAt(at, name), message: `is not a field of ${action.title}; expected one of ${declared.join(', ')}${suggest(name, declared)}` });
    }
  }

  const effective: Record<string, unknown> = {};
  const constants: Record<string, unknown> = {};
  for (const name of declared) {
    const field: FieldDefinition = action.fields[name]!;
    const value = Object.hasOwn(given, name) ? given[name] : field.default;
    if (field.constant) {
      const coerced = value === undefined || value === null ? undefined : coerceValue(field.type, value);
      if (value !== undefined && value !== null && (typeof coerced === 'symbol' || typeof value === 'object')) {
        issues.push({ at: childAt(at, name), message: `must be ${TYPE_NAMES[field.type]} written in the config (it applies to the whole mapping, not per event)` });
      } else if (coerced !== undefined) {
        constants[name] = coerced;
      }
      continue;
    }
    if (value === undefined) continue;
    effective[name] = value;
  }

  let map: (event: unknown) => Record<string, unknown> = () => ({});
  try {
    map = compileMapping(effective, at);
  } catch (err) {
    if (!(err instanceof MappingError)) throw err;
    issues.push(...err.issues);
  }
  if (issues.length > 0) throw new MappingError(issues);

  const validate = compileValidator(action.fields);
  const constantEntries = Object.entries(constants);
  const run = (event: unknown): PipelineResult<Body> => {
    const checked = validate(map(event));
    if (!checked.ok) return checked;
    for (let i = 0; i < constantEntries.length; i++) checked.payload[constantEntries[i]![0]] = constantEntries[i]![1];
    let prepared;
    try {
      prepared = action.prepare(checked.payload as never, options);
    } catch (err) {
      // prepare is meant to be total; if it is not, the event is filtered with the reason rather than the process crashing.
      return { ok: false, filteredBecause: `${action.title} could not prepare the event: ${(err as Error).message}` };
    }
    if (!prepared.ok) return prepared;
    const drops = checked.dropped.length === 0 ? (prepared.droppedKeys ?? NO_DROPS) : [...checked.dropped, ...(prepared.droppedKeys ?? [])];
    return { ok: true, body: prepared.body as Body, droppedKeys: drops };
  };
  return Object.freeze({ run, constants: Object.freeze(constants), fields: Object.freeze({ ...effective }) });
}
