/**
 * Asks a yes/no question in a terminal before something that cannot be undone. Only a person
 * at a terminal is asked: with stdin or stdout not a TTY (a script, a pipe, CI) the command
 * runs as asked, and `--yes` skips the question anywhere.
 */
import { createInterface } from 'node:readline/promises';

export function canAsk(): boolean {
  return Boolean(process.stdin.isTTY && process.stdout.isTTY);
}

/** True when the answer is y or yes (any case); anything else, or end of input, is no. */
export async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    const answer = await rl.question(`${question} [y/N] `);
    return /^\s*y(es)?\s*$/i.test(answer);
  } catch {
    return false; // input closed before an answer
  } finally {
    rl.close();
  }
}
