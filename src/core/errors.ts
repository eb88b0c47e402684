/**
 * One error family for the whole toolkit. Every error carries a stable `code`, the phase it
 * belongs to, and what to do about it: retry (with a delay), give up, or skip one record.
 * Messages name the setting to fix and, where there is a fixed set, the valid values.
 */
export type ErrorPhase = 'config' | 'source' | 'http' | 'load' | 'mapping' | 'delivery' | 'usage';
export type Disposition = 'retry' | 'fatal' | 'skip';

export class SupportSyncError extends Error {
  readonly code: string;
  readonly phase: ErrorPhase;
  readonly disposition: Disposition;
  /** Where a retry makes sense: how long to wait first. */
  readonly retryAfterMs?: number;

  constructor(
    message: string,
    opts: { code: string; phase: ErrorPhase; disposition?: Disposition; retryAfterMs?: number; cause?: unknown },
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    this.code = opts.code;
    this.phase = opts.phase;
    this.disposition = opts.disposition ?? 'fatal';
    this.retryAfterMs = opts.retryAfterMs;
  }
}

/** A bad setting in the config file or on the command line: exit code 2. */
export class ConfigError extends SupportSyncError {
  /** Dotted path of the bad setting, e.g. `sources[0].schedule`. */
  readonly key: string;
  constructor(key: string, message: string) {
    super(`${key}: ${message}`, { code: 'CONFIG_INVALID', phase: 'config' });
    this.key = key;
  }
}

/** Bad command-line usage (unknown flag, conflicting options): exit code 2. */
export class UsageError extends SupportSyncError {
  constructor(message: string) {
    super(message, { code: 'USAGE', phase: 'usage' });
  }
}

/** An HTTP answer we cannot use. `status` is 0 for network errors and timeouts. */
export class HttpError extends SupportSyncError {
  readonly status: number;
  readonly method: string;
  readonly url: string;
  readonly body: string;
  constructor(
    message: string,
    opts: { status: number; method: string; url: string; body?: string; code: string; disposition: Disposition; retryAfterMs?: number; cause?: unknown },
  ) {
    super(message, { code: opts.code, phase: 'http', disposition: opts.disposition, retryAfterMs: opts.retryAfterMs, cause: opts.cause });
    this.status = opts.status;
    this.method = opts.method;
    this.url = opts.url;
    this.body = opts.body ?? '';
  }
}

/** Credentials were refused. The message says which setting to verify. */
export class AuthError extends SupportSyncError {
  readonly status: number;
  constructor(message: string, status: number) {
    super(message, { code: 'AUTH_FAILED', phase: 'source' });
    this.status = status;
  }
}

/** The warehouse refused an operation (file locked, bad name, failed merge). */
export class WarehouseError extends SupportSyncError {
  constructor(message: string, opts: { code?: string; cause?: unknown } = {}) {
    super(message, { code: opts.code ?? 'WAREHOUSE', phase: 'load', cause: opts.cause });
  }
}

export const isRetryable = (err: unknown): boolean =>
  err instanceof SupportSyncError && err.disposition === 'retry';
