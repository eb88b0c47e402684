/**
 * The HTTP client for one Gladly organization: Basic auth (agent email + API token), the
 * organization's shared rate budget (about 10 requests per second; Gladly's 429 carries no
 * Retry-After, so the shared client backs off with jitter), and error texts that say which
 * setting to check.
 */
import { createHttpClient, type HttpClient } from '../../core/http/http-client.ts';
import type { AuthAdvice } from '../../core/http/http-failure.ts';
import { getRateBudget } from '../../core/http/rate-budget.ts';
import type { RetryPolicy } from '../../core/http/retry-policy.ts';
import type { Logger } from '../../core/logger.ts';
import { gladlyBaseUrl, gladlyBaseUrlSettings, type GladlyConfig } from './gladly-config.ts';

/** 401/403 as advice: which setting to verify, and the permission the agent needs. */
export function describeGladlyAuthError(config: Pick<GladlyConfig, 'email'>): (status: number) => AuthAdvice {
  return (status) => ({
    message:
      status === 401
        ? `Gladly refused the credentials (401): verify \`email\` (${config.email}) and \`apiToken\`; the token must be one created for that agent under Settings > API Tokens`
        : `Gladly denied access (403): the agent \`email\` (${config.email}) needs the API User permission (Settings > Users), and \`apiToken\` must belong to that agent`,
    settings: ['email', 'apiToken'],
  });
}

/** `retry`: e.g. QUICK_RETRY_POLICY for `check`; syncs keep the client's default patience. */
export function gladlyClient(config: GladlyConfig, log?: Logger, retry?: Partial<RetryPolicy>): HttpClient {
  const baseUrl = gladlyBaseUrl(config);
  // The budget is the organization's; an override (emulator, proxy) is a server of its own.
  const budgetKey = config.baseUrl ? `gladly:${baseUrl}` : `gladly:${config.organization}${config.region ? '.' + config.region : ''}${config.sandbox ? '.qa' : ''}`;
  return createHttpClient({
    baseUrl,
    baseUrlSettings: gladlyBaseUrlSettings(config),
    headers: { Authorization: `Basic ${Buffer.from(`${config.email}:${config.apiToken}`).toString('base64')}` },
    budget: getRateBudget(budgetKey, { requests: config.requestsPerSecond, perMs: 1000 }),
    describeAuthError: describeGladlyAuthError(config),
    retry,
    log,
  });
}
