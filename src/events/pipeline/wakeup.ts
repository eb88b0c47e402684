/**
 * A doorbell between stages: a stage that ran out of work waits on it (with a timeout, so
 * writes from other processes are picked up by polling too) and the stage upstream rings it.
 */
export interface Wakeup {
  /** Resolves on the next `ring()`, after `ms`, or at once if rung since the last wait. */
  wait(ms: number): Promise<void>;
  ring(): void;
}

export function createWakeup(): Wakeup {
  let rung = false;
  let waiter: (() => void) | undefined;
  return {
    wait(ms) {
      if (rung) {
        rung = false;
        return Promise.resolve();
      }
      return new Promise<void>((resolve) => {
        const timer = setTimeout(done, ms);
        function done() {
          clearTimeout(timer);
          if (waiter === done) waiter = undefined;
          rung = false;
          resolve();
        }
        waiter = done;
      });
    },
    ring() {
      if (waiter) waiter();
      else rung = true;
    },
  };
}
