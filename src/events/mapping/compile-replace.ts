/**
 * `@replace` with a literal pattern (never a regular expression, as in Segment) and a
 * literal replacement (`$&` and friends are not special, unlike Segment's use of
 * String.replace). Global by default, case-sensitive unless `ignorecase`.
 */
export function compileReplace(pattern: string, replacement: string, global: boolean, ignoreCase: boolean): (text: string) => string {
  if (ignoreCase) {
    const re = new RegExp(pattern.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&'), global ? 'gi' : 'i');
    const literal = () => replacement;
    return (text) => text.replace(re, literal);
  }
  if (global) return (text) => text.split(pattern).join(replacement);
  return (text) => {
    const at = text.indexOf(pattern);
    return at < 0 ? text : text.slice(0, at) + replacement + text.slice(at + pattern.length);
  };
}
