/**
 * Explains why a DuckDB file could not be opened. The common case is a lock: DuckDB allows
 * one process to open a file for writing, and reports the holder as
 * `Conflicting lock is held in /usr/bin/node (PID 1234)`.
 */
import { WarehouseError } from '../../core/errors.ts';

export function openError(path: string, err: unknown): WarehouseError {
  const message = err instanceof Error ? err.message : String(err);
  if (/could not set lock|conflicting lock/i.test(message)) {
    const holder = /lock is held in (.*?) \(PID (\d+)\)/i.exec(message);
    const who = holder ? ` (PID ${holder[2]}, ${holder[1]})` : '';
    return lockedError(path, `another process${who}`, err);
  }
  return new WarehouseError(`Cannot open the DuckDB warehouse ${path}: ${message}`, { code: 'WAREHOUSE_OPEN', cause: err });
}

export function lockedError(path: string, holder: string, cause?: unknown): WarehouseError {
  return new WarehouseError(
    `The warehouse file ${path} is in use by ${holder}. DuckDB lets only one process open a file at a time: ` +
      `wait for that process to finish (e.g. a running "supportsync sync" or "supportsync serve"), or stop it, then try again. ` +
      `To query while it runs, copy the file and query the copy.`,
    { code: 'WAREHOUSE_LOCKED', cause },
  );
}
