/**
 * Open or paused, per destination. When the destination refuses the credentials, every
 * delivery to it stops (the events stay queued), the reason is stored for
 * `supportsync events status`, and the credentials are checked again now and then with the
 * destination's connection test; deliveries resume when it passes.
 */
import { AuthError } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import { redactError } from '../../core/redact.ts';
import type { EventQueue } from '../queue/event-queue.ts';

export interface DestinationGate {
  readonly destination: string;
  isOpen(): boolean;
  /** Resolves when the gate is open (at once if it is), or when `signal` aborts. */
  whenOpen(signal: AbortSignal): Promise<void>;
  pause(reason: string): void;
  close(): void;
}

export interface DestinationGateOptions {
  destination: string;
  queue: EventQueue;
  log: Logger;
  /** Throws AuthError while the credentials are still refused. */
  recheck(): Promise<unknown>;
  recheckMs: number;
}

export function createDestinationGate(options: DestinationGateOptions): DestinationGate {
  const { destination, queue, log } = options;
  let paused = false;
  let timer: NodeJS.Timeout | undefined;
  let waiters: (() => void)[] = [];

  const open = () => {
    paused = false;
    const ready = waiters;
    waiters = [];
    for (const w of ready) w();
  };

  const check = async () => {
    timer = undefined;
    try {
      await options.recheck();
      await queue.setState(destination, undefined);
      log.info(`destination ${destination}: credentials accepted again; deliveries resume`);
      open();
    } catch (err) {
      if (!(err instanceof AuthError)) log.warn(`destination ${destination}: credential check failed`, { error: redactError(err) });
      if (paused) timer = setTimeout(check, options.recheckMs);
    }
  };

  return {
    destination,
    isOpen: () => !paused,
    whenOpen(signal) {
      if (!paused || signal.aborted) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const done = () => {
          signal.removeEventListener('abort', done);
          resolve();
        };
        waiters.push(done);
        signal.addEventListener('abort', done, { once: true });
      });
    },
    pause(reason) {
      if (paused) return;
      paused = true;
      log.error(`destination ${destination}: ${reason} Deliveries are paused and the events kept; checking again every ${Math.round(options.recheckMs / 1000)} s (or fix the config and restart).`);
      queue.setState(destination, { status: 'paused', reason, since: Date.now() }).catch((err) => log.warn('cannot store the destination state', { error: redactError(err) }));
      timer = setTimeout(check, options.recheckMs);
    },
    close() {
      clearTimeout(timer);
      timer = undefined;
      open();
    },
  };
}
