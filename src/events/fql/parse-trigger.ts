/**
 * The entry point for triggers: parse once at load, then call `matches(event)` per event.
 *
 *   const trigger = parseTrigger('type = "track" and match(event, "Order *")');
 *   trigger.matches({ type: 'track', event: 'Order Completed' }); // true
 *
 * The language and how it differs from Segment are described in ./README.md.
 */
import type { TriggerNode } from './ast.ts';
import { compileTrigger, type EventPredicate } from './compile-trigger.ts';
import { parseFql } from './parse-fql.ts';
import { TriggerSyntaxError } from './trigger-syntax-error.ts';

export interface Trigger {
  /** The trigger as written. */
  readonly source: string;
  readonly ast: TriggerNode;
  /** Things that parse but probably do not mean what the author thinks (see README). */
  readonly warnings: readonly string[];
  /** True when the event satisfies the trigger. Never throws, whatever the event holds. */
  readonly matches: EventPredicate;
}

/** Throws TriggerSyntaxError (phase 'mapping') with the column of the problem. */
export function parseTrigger(source: string): Trigger {
  // Configs are untyped until validated; a number or null here should read as a trigger problem.
  if (typeof source !== 'string') throw new TriggerSyntaxError(String(source), 0, `a trigger must be a string, got ${source === null ? 'null' : typeof source}`);
  const { ast, warnings } = parseFql(source);
  return Object.freeze({ source, ast, warnings: Object.freeze(warnings), matches: compileTrigger(ast) });
}
