/**
 * One process at a time routes and delivers from a data directory (leases of the embedded
 * queue live in that process's memory). The lock is a pid file; a file left by a process
 * that died (kill -9) is taken over, since that pid no longer runs.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SupportSyncError } from '../../core/errors.ts';

export interface WorkerLock {
  release(): void;
}

const FILE = 'worker.pid';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid of the live process holding the lock of `dataDir`, if any. */
export function workerLockHolder(dataDir: string): number | undefined {
  let pid: number;
  try {
    pid = Number(readFileSync(join(dataDir, FILE), 'utf8').trim());
  } catch {
    return undefined;
  }
  return Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid) ? pid : undefined;
}

export function acquireWorkerLock(dataDir: string): WorkerLock {
  const file = join(dataDir, FILE);
  try {
    writeFileSync(file, String(process.pid), { flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const holder = workerLockHolder(dataDir);
    if (holder !== undefined) {
      throw new SupportSyncError(`another supportsync process (pid ${holder}) is delivering events from ${dataDir}; stop it first, or let it deliver (supportsync events send --no-deliver only queues)`, {
        code: 'QUEUE_LOCKED',
        phase: 'delivery',
      });
    }
    writeFileSync(file, String(process.pid));
  }
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      try {
        if (readFileSync(file, 'utf8').trim() === String(process.pid)) rmSync(file, { force: true });
      } catch {
        // Already gone.
      }
    },
  };
}
