/**
 * How supportsync talks to one Gleap project: Bearer API key + `Project` header, the
 * project's shared rate budget (1000 requests per 60 s, process-wide per project id),
 * retries with Retry-After, and 401/403 messages that name the setting to verify, in the
 * words the user used (a config key such as `sources[0].config.apiKey`, or `GLEAP_API_KEY`).
 */
import type { DescribeAuthError } from '../core/http/http-failure.ts';
import { createHttpClient, type HttpClient } from '../core/http/http-client.ts';
import { getRateBudget, VENDOR_RATE_LIMITS } from '../core/http/rate-budget.ts';
import type { RetryPolicy } from '../core/http/retry-policy.ts';
import type { Logger } from '../core/logger.ts';
import { registerSecret } from '../core/redact.ts';

export const GLEAP_API_URL = 'https://api.gleap.io/v3';

export interface GleapConnection {
  apiKey: string;
  projectId: string;
  /** Default https://api.gleap.io/v3; the emulator: http://127.0.0.1:PORT/v3. */
  baseUrl?: string;
  /** Requests per 60 s for this project (Gleap allows 1000); lower it to leave room for other tools. */
  requestsPerMinute?: number;
}

/** How the user names the two credentials, for error messages. */
export interface GleapSettingNames {
  apiKey: string;
  projectId: string;
}

export const CONFIG_SETTING_NAMES: GleapSettingNames = { apiKey: 'apiKey', projectId: 'projectId' };
export const ENV_SETTING_NAMES: GleapSettingNames = { apiKey: 'GLEAP_API_KEY', projectId: 'GLEAP_PROJECT_ID' };

export interface GleapHttpOptions {
  log?: Logger;
  settingNames?: GleapSettingNames;
  retry?: Partial<RetryPolicy>;
  timeoutMs?: number;
  onRequest?: (label: string) => void;
}

/** Gleap's two auth failures: 401 = the key, 403 = the project (or a key of another project). */
export function describeGleapAuth(names: GleapSettingNames = CONFIG_SETTING_NAMES): DescribeAuthError {
  return (status) =>
    status === 401
      ? `Gleap refused the API key (401): verify \`${names.apiKey}\` (Project Settings > Security > API Key)`
      : `Gleap refused access to the project (403): verify \`${names.projectId}\` (Project Settings), and that the API key belongs to that project`;
}

export function createGleapHttp(connection: GleapConnection, opts: GleapHttpOptions = {}): HttpClient {
  registerSecret(connection.apiKey);
  const perMinute = connection.requestsPerMinute ?? VENDOR_RATE_LIMITS.gleap.requests;
  return createHttpClient({
    baseUrl: connection.baseUrl ?? GLEAP_API_URL,
    headers: { Authorization: `Bearer ${connection.apiKey}`, Project: connection.projectId },
    budget: getRateBudget(`gleap:${connection.projectId}`, { requests: perMinute, perMs: VENDOR_RATE_LIMITS.gleap.perMs }),
    describeAuthError: describeGleapAuth(opts.settingNames),
    retry: opts.retry,
    timeoutMs: opts.timeoutMs,
    log: opts.log,
    onRequest: opts.onRequest,
  });
}
