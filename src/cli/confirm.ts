/**
 * A yes/no question before something that cannot be undone, asked on stderr so that stdout
 * stays the command's output (`--json`). Whether to ask, and what to do where nobody can
 * answer (a script, a pipe, CI), is each command's policy; this only asks.
 */
import { createInterface } from 'node:readline/promises';

/** Someone can answer: stdin and stderr are a terminal. */
export function canAsk(): boolean {
  return Boolean(process.stdin.isTTY && process.stderr.isTTY);
}

/** True when the answer is y or yes (any case); anything else, or end of input, is no. */
export async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^\s*y(es)?\s*$/i.test(await rl.question(`${question} [y/N] `));
  } catch {
    return false; // input closed before an answer
  } finally {
    rl.close();
  }
}
