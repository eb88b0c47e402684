/** Turns zod issues into one readable line per problem, each naming its key. */
import type { z } from 'zod';

export function keyPath(path: readonly PropertyKey[], prefix = ''): string {
  let out = prefix;
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out || '(root)';
}

export function formatIssues(issues: readonly z.core.$ZodIssue[], prefix = ''): { key: string; message: string }[] {
  return issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      const keys = issue.keys.map((k) => keyPath([...issue.path, k], prefix));
      return { key: keys[0]!, message: `unknown key${keys.length > 1 ? 's ' + keys.join(', ') : ''}: not a setting here; check the spelling` };
    }
    if (issue.code === 'invalid_union' && 'errors' in issue && issue.errors.length > 0 && issue.message === 'Invalid input') {
      // Report the branch that got furthest (its problem lies deepest in the value), rather
      // than "invalid input" or the first branch's complaint about the value's shape.
      const depth = (branch: readonly z.core.$ZodIssue[]) => Math.max(...branch.map((i) => i.path.length));
      const best = [...issue.errors].sort((a, b) => depth(b) - depth(a) || a.length - b.length)[0]!;
      return formatIssues(best.map((i) => ({ ...i, path: [...issue.path, ...i.path] })), prefix)[0]!;
    }
    if (issue.code === 'invalid_type' && /received undefined$/.test(issue.message)) {
      return { key: keyPath(issue.path, prefix), message: `missing: this setting is required (expected ${issue.expected})` };
    }
    return { key: keyPath(issue.path, prefix), message: issue.message.replace(/^Invalid (input|option): /, '') };
  });
}
