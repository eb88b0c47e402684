/**
 * Starts the HTTP intake on a worker thread (intake-thread.ts) and relays its news: when it
 * listens, and when it accepted events (to wake the delivery workers on this thread).
 * supportsync runs from TypeScript through tsx, whose loader a worker does not inherit: the
 * worker registers it before importing the entry module.
 */
import { Worker } from 'node:worker_threads';
import { SupportSyncError } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import type { IntakeServer } from './intake-server.ts';
import type { IntakeThreadData } from './intake-thread.ts';

export interface IntakeThreadOptions extends IntakeThreadData {
  log: Logger;
  onAccepted: () => void;
}

const ENTRY = new URL('./intake-thread.ts', import.meta.url).href;
/** How long a closing intake may take to finish its requests before it is stopped. */
const CLOSE_TIMEOUT_MS = 15_000;

export function startIntakeThread(options: IntakeThreadOptions): Promise<IntakeServer> {
  const { log, onAccepted, ...data } = options;
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsx)}).then((api) => api.tsImport(${JSON.stringify(ENTRY)}, ${JSON.stringify(ENTRY)}))`;
  const worker = new Worker(bootstrap, { eval: true, workerData: data satisfies IntakeThreadData });
  let closing: Promise<void> | undefined;

  return new Promise((resolve, reject) => {
    worker.on('message', (message: { type: string; url?: string; message?: string }) => {
      if (message.type === 'accepted') onAccepted();
      else if (message.type === 'listening') {
        const url = message.url!;
        resolve({
          url,
          port: Number(new URL(url).port),
          close: () =>
            (closing ??= new Promise<void>((done) => {
              const force = setTimeout(() => void worker.terminate(), CLOSE_TIMEOUT_MS);
              worker.once('exit', () => {
                clearTimeout(force);
                done();
              });
              worker.postMessage({ type: 'close' });
            })),
        });
      } else if (message.type === 'failed') {
        reject(new SupportSyncError(message.message ?? 'the event intake failed to start', { code: 'INTAKE_START', phase: 'config' }));
      }
    });
    worker.on('error', (err) => {
      log.error('the event intake thread failed; events are not accepted until supportsync serve restarts', { error: err.message });
      reject(err);
    });
    worker.on('exit', (code) => {
      if (!closing && code !== 0) log.error(`the event intake thread exited with code ${code}`);
      reject(new SupportSyncError(`the event intake thread exited (code ${code}) before it listened`, { code: 'INTAKE_START', phase: 'config' }));
    });
  });
}
