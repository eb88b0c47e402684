/**
 * One writer at a time inside this process: DDL, commits and bookkeeping run one after the
 * other. DuckDB would otherwise abort one of two transactions touching the same rows
 * (e.g. two commits updating the loads log), and commits are short next to extraction.
 */
export type WriteLock = <T>(fn: () => Promise<T>) => Promise<T>;

export function createWriteLock(): WriteLock {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(fn: () => Promise<T>): Promise<T> => {
    const run = tail.then(fn, fn);
    tail = run.catch(() => undefined);
    return run;
  };
}
