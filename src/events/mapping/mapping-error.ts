/**
 * A field mapping that cannot work, found when the config is loaded rather than when the
 * first event arrives. One error lists every problem, each with the place it sits:
 *
 *   fields.userId: unknown directive "@pth"; expected one of @path, @template, ... (did you mean @path?)
 */
import { SupportSyncError } from '../../core/errors.ts';

export interface MappingIssue {
  /** Where the problem sits, e.g. `fields.name["@if"].then`. */
  readonly at: string;
  readonly message: string;
}

export class MappingError extends SupportSyncError {
  readonly issues: readonly MappingIssue[];
  constructor(issues: readonly MappingIssue[]) {
    super(issues.map((i) => `${i.at}: ${i.message}`).join('\n'), { code: 'MAPPING_INVALID', phase: 'mapping' });
    this.issues = issues;
  }
}

/** `at` extended by one key: `.name` when it reads well, `["odd key"]` otherwise, `[0]` for items. */
export function childAt(at: string, key: string | number): string {
  if (typeof key === 'number') return `${at}[${key}]`;
  return /^[@A-Za-z_$][\w$-]*$/.test(key) ? `${at}.${key}` : `${at}[${JSON.stringify(key)}]`;
}
