/** The parsed form of a trigger: plain data, so it can be printed, compared and compiled. */

export type Literal = string | number | boolean | null;

export type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=';

/** A field of the event, e.g. `context.page.url` -> `['context', 'page', 'url']`. */
export interface FieldRef {
  readonly path: readonly string[];
}

export type TriggerNode =
  | { readonly kind: 'or'; readonly children: readonly TriggerNode[] }
  | { readonly kind: 'and'; readonly children: readonly TriggerNode[] }
  | { readonly kind: 'not'; readonly operand: TriggerNode }
  | { readonly kind: 'compare'; readonly field: FieldRef; readonly op: CompareOp; readonly value: Literal }
  | { readonly kind: 'contains'; readonly field: FieldRef; readonly value: string }
  | { readonly kind: 'match'; readonly field: FieldRef; readonly pattern: string };
