/** Runs `supportsync emulate ...` in a child process for benchmarks (its CPU and memory are not the case's). */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../bin/supportsync.js', import.meta.url));

export interface EmulatorProcess {
  url: string;
  hook<T>(path: string, body?: unknown): Promise<T>;
  stop(): Promise<void>;
}

export async function startEmulatorProcess(args: string[]): Promise<EmulatorProcess> {
  const child = spawn(process.execPath, [BIN, 'emulate', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const first = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`emulator exited with ${code}`)));
  });
  const url = /^listening on (\S+)$/.exec(first)?.[1];
  if (!url) throw new Error(`unexpected emulator output: ${first}`);
  return {
    url,
    async hook<T>(path: string, body?: unknown) {
      const res = await fetch(`${url}/__emulator/${path}`, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
      return (await res.json()) as T;
    },
    stop: () => new Promise<void>((resolve) => { child.once('exit', () => resolve()); child.kill('SIGTERM'); }),
  };
}
