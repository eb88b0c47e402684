/**
 * Shared by the Gladly benchmark cases: the emulator (or a static file server) in a child
 * process, so its memory and CPU do not count; and the big file downloaded to disk. (Not a
 * case itself: it prints nothing.)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import type { GladlyEmulatorOptions } from '../../emulators/gladly/index.ts';

export interface EmulatorProcess {
  apiBase: string;
  bigFileJobId: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** The data set every Gladly case uses: one big file, everything else tiny. */
export const benchEmulatorOptions = (bigFileBytes: number): GladlyEmulatorOptions => ({
  seed: 7, scale: 0.01, schedule: 'daily', rateLimit: false, bigFileBytes,
});

export function startEmulatorProcess(options: GladlyEmulatorOptions): Promise<EmulatorProcess> {
  return startServerProcess('gladly-emulator.ts', [JSON.stringify(options)]);
}

/** The big file from disk, served by a plain static server (see gladly-file-server.ts). */
export function startFileServerProcess(file: string, updatedAt: string): Promise<EmulatorProcess> {
  return startServerProcess('gladly-file-server.ts', [file, updatedAt]);
}

/** Downloads the emulator's big file to `path` (not part of any timing). */
export async function downloadBigFile(emulator: EmulatorProcess, path: string): Promise<void> {
  const auth = `Basic ${Buffer.from('agent@example.com:test-token').toString('base64')}`;
  const res = await fetch(`${emulator.apiBase}/export/jobs/${emulator.bigFileJobId}/files/conversation_items.jsonl`, { headers: { authorization: auth } });
  if (!res.ok || !res.body) throw new Error(`download failed: HTTP ${res.status}`);
  await pipeline(Readable.fromWeb(res.body as never), createWriteStream(path));
}

async function startServerProcess(script: string, args: string[]): Promise<EmulatorProcess> {
  const path = fileURLToPath(new URL(`./${script}`, import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', path, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve(out.slice(0, nl));
    });
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code} before listening`)));
  });
  const [, , apiBase, bigFileJobId] = line.split(' ');
  return {
    apiBase: apiBase!,
    bigFileJobId: bigFileJobId!,
    child,
    stop: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    }),
  };
}
