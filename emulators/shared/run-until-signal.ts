/**
 * What `supportsync emulate <vendor>` does once an emulator is up: print exactly
 * `listening on <url>` as the first stdout line, then wait for SIGTERM or SIGINT and
 * close cleanly. Resolves when closed.
 */
export async function runUntilSignal(
  emulator: { url: string; close(): Promise<void> },
  opts: { write?: (line: string) => void; signals?: readonly NodeJS.Signals[] } = {},
): Promise<NodeJS.Signals> {
  const write = opts.write ?? ((line: string) => process.stdout.write(line + '\n'));
  const signals = opts.signals ?? (['SIGTERM', 'SIGINT'] as const);
  write(`listening on ${emulator.url}`);
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    const onSignal = (sig: NodeJS.Signals) => {
      for (const s of signals) process.off(s, onSignal);
      resolve(sig);
    };
    for (const s of signals) process.on(s, onSignal);
  });
  await emulator.close();
  return signal;
}
