/**
 * A trigger that does not parse. The message points at the offending spot with a caret so
 * a user can fix the config without counting characters:
 *
 *   trigger: expected a value (a string, number, true, false or null) after '=' at column 8
 *     type = 
 *            ^
 */
import { SupportSyncError } from '../../core/errors.ts';

/** Longest stretch of the offending line that the message shows. */
const WINDOW = 72;

export class TriggerSyntaxError extends SupportSyncError {
  /** The whole trigger as written. */
  readonly source: string;
  /** UTF-16 offset of the problem in `source` (`source.length` for "unexpected end"). */
  readonly offset: number;
  /** 1-based line and column (in characters) of the problem. */
  readonly line: number;
  readonly column: number;
  /** The problem alone, without position or excerpt. */
  readonly reason: string;

  constructor(source: string, offset: number, reason: string) {
    const at = Math.max(0, Math.min(offset, source.length));
    const { line, column, lineText } = locate(source, at);
    const where = source.includes('\n') ? `line ${line}, column ${column}` : `column ${column}`;
    super(`trigger: ${reason} at ${where}\n${excerpt(lineText, column)}`, { code: 'TRIGGER_SYNTAX', phase: 'mapping' });
    this.source = source;
    this.offset = at;
    this.line = line;
    this.column = column;
    this.reason = reason;
  }
}

/** Line, column (in code points, so emoji count once) and text of the line holding `offset`. */
export function locate(source: string, offset: number): { line: number; column: number; lineText: string } {
  const lineStart = offset === 0 ? 0 : source.lastIndexOf('\n', offset - 1) + 1;
  let lineEnd = source.indexOf('\n', offset);
  if (lineEnd < 0) lineEnd = source.length;
  const line = source.slice(0, lineStart).split('\n').length;
  const column = [...source.slice(lineStart, offset)].length + 1;
  return { line, column, lineText: source.slice(lineStart, lineEnd).replace(/\r$/, '') };
}

/** Two lines: the source line (cut to a window around the column) and a caret under the spot. */
function excerpt(lineText: string, column: number): string {
  // Tabs and control characters become one visible cell each so the caret stays aligned.
  let chars = [...lineText].map((ch) => (ch === '\t' ? ' ' : ch < ' ' || ch === '\x7f' ? '?' : ch));
  let caret = column - 1;
  let prefix = '';
  if (chars.length > WINDOW) {
    const start = Math.max(0, Math.min(caret - WINDOW / 2, chars.length - WINDOW));
    const cut = chars.slice(start, start + WINDOW);
    prefix = start > 0 ? '…' : '';
    const suffix = start + WINDOW < chars.length ? '…' : '';
    chars = [...cut, ...(suffix ? [suffix] : [])];
    caret = caret - start + prefix.length;
  }
  return `  ${prefix}${chars.join('')}\n  ${' '.repeat(caret)}^`;
}
