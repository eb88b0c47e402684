/**
 * One error family for the whole toolkit. Every error carries a stable `code`, the phase it
 * belongs to, and what to do about it: retry (with a delay), give up, or skip one record.
 * Messages name the setting to fix and, where there is a fixed set, the valid values.
 */
import { redact, redactError } from './redact.ts';

export type ErrorPhase = 'config' | 'source' | 'http' | 'load' | 'mapping' | 'delivery' | 'usage';
export type Disposition = 'retry' | 'fatal' | 'skip';

export class SupportSyncError extends Error {
  readonly code: string;
  readonly phase: ErrorPhase;
  readonly disposition: Disposition;
  /** Where a retry makes sense: how long to wait first. */
  readonly retryAfterMs?: number;
  /**
   * The settings the message asks to check, as bare keys of the source's `config:` block
   * (`apiKey`), each written in the message in backticks. See describeError.
   */
  readonly settings: readonly string[];

  constructor(
    message: string,
    opts: { code: string; phase: ErrorPhase; disposition?: Disposition; retryAfterMs?: number; settings?: readonly string[]; cause?: unknown },
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    this.code = opts.code;
    this.phase = opts.phase;
    this.disposition = opts.disposition ?? 'fatal';
    this.retryAfterMs = opts.retryAfterMs;
    this.settings = opts.settings ?? [];
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
    opts: {
      status: number; method: string; url: string; body?: string; code: string; disposition: Disposition;
      retryAfterMs?: number; settings?: readonly string[]; cause?: unknown;
    },
  ) {
    super(message, { code: opts.code, phase: 'http', disposition: opts.disposition, retryAfterMs: opts.retryAfterMs, settings: opts.settings, cause: opts.cause });
    this.status = opts.status;
    this.method = opts.method;
    this.url = opts.url;
    this.body = opts.body ?? '';
  }
}

/** Credentials were refused. The message says which setting to verify (listed in `settings`). */
export class AuthError extends SupportSyncError {
  readonly status: number;
  constructor(message: string, status: number, settings: readonly string[] = []) {
    super(message, { code: 'AUTH_FAILED', phase: 'source', settings });
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

/**
 * Names a setting of a source's `config:` block where the user finds it. A source does not
 * know its place in the config file, so its errors name bare keys (`apiKey`); whoever
 * prints the error knows the place and names them in full (`sources[1].config.apiKey`).
 */
export type SettingNamer = (key: string) => string;

/** `apiKey` → `sources[N].config.apiKey`: a setting of the config file's N-th source. */
export function sourceSettingPath(index: number): SettingNamer {
  return (key) => `sources[${index}].config.${key}`;
}

/**
 * The error's message, redacted, for people: each setting it names (`` `apiKey` ``) named
 * by `name` instead (`` `sources[1].config.apiKey` ``). Without `name`, or for an error that
 * names no setting, the redacted message as it is.
 */
export function describeError(err: unknown, name?: SettingNamer): string {
  if (!name || !(err instanceof SupportSyncError)) return redactError(err);
  let text = err.message;
  for (const key of err.settings) text = text.split(`\`${key}\``).join(`\`${name(key)}\``);
  return redact(text);
}
