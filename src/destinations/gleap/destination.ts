/**
 * Gleap (Actions): Segment's Gleap destination, run locally. Its server API lives under
 * `/admin` and takes the project's secret API token in an `Api-Token` header. Every request
 * goes through the shared HTTP client and spends the project's rate budget (1000 requests
 * per 60 s), the same budget as a Gleap source of that project when `projectId` is set.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { HttpError } from '../../core/errors.ts';
import { createHttpClient, type HttpClient } from '../../core/http/http-client.ts';
import { getRateBudget, VENDOR_RATE_LIMITS } from '../../core/http/rate-budget.ts';
import { defineDestination } from '../define-destination.ts';
import { identifyContact } from './actions/identify-contact.ts';
import { trackEvent } from './actions/track-event.ts';

export const GLEAP_BASE_URL = 'https://api.gleap.io';

export const gleapDestinationConfig = z.strictObject({
  apiToken: z.string({ error: 'expected the secret API token (Gleap: Project settings > Security > Secret API token)' }).min(1, 'expected the secret API token (Gleap: Project settings > Security > Secret API token)'),
  baseUrl: z
    .string()
    .regex(/^https?:\/\/[^/\s]+/i, 'expected an http(s) URL such as https://api.gleap.io')
    .default(GLEAP_BASE_URL),
  /** The Gleap project of the token: shares the rate budget with sources of that project. */
  projectId: z.string().min(1).optional(),
  /** Per request attempt. */
  timeoutMs: z.number().int().positive().default(30_000),
  /** Below Gleap's 1000 to leave room for other tools on the project (as a Gleap source's setting). */
  requestsPerMinute: z.number().int().min(1).max(1000, "expected at most 1000, Gleap's limit per project").default(1000),
});

export type GleapDestinationConfig = z.infer<typeof gleapDestinationConfig>;

/** The rate budget key: the project when known, else one budget per token. */
export function gleapBudgetKey(config: GleapDestinationConfig): string {
  if (config.projectId) return `gleap:${config.projectId}`;
  return `gleap:token-${createHash('sha256').update(config.apiToken).digest('hex').slice(0, 12)}`;
}

export const gleapDestination = defineDestination({
  type: 'gleap',
  title: 'Gleap (Actions)',
  configSchema: gleapDestinationConfig,
  secretKeys: ['apiToken'],
  exampleConfig: [
    'apiToken: ${GLEAP_SECRET_API_TOKEN}   # Project settings > Security > Secret API token',
    '# projectId: ${GLEAP_PROJECT_ID}     # optional: share the rate budget with a Gleap source',
    '# requestsPerMinute: 1000            # lower to leave room for other tools',
    '# baseUrl: https://api.gleap.io',
  ].join('\n'),
  actions: { trackEvent, identifyContact },
  defaultMappings: ['trackEvent', 'identifyContact'],
  rateLimit: (config: GleapDestinationConfig) => ({ requests: config.requestsPerMinute, perMs: VENDOR_RATE_LIMITS.gleap.perMs }),

  createClient(config: GleapDestinationConfig, ctx): HttpClient {
    return createHttpClient({
      baseUrl: config.baseUrl,
      headers: { 'Api-Token': config.apiToken },
      budget: getRateBudget(gleapBudgetKey(config), { requests: config.requestsPerMinute, perMs: VENDOR_RATE_LIMITS.gleap.perMs }),
      // Quick retries for blips; longer waits are scheduled durably by the delivery worker.
      retry: { maxAttempts: 3, baseDelayMs: 500, maxDelayMs: 5_000, maxRetryAfterMs: 60_000 },
      timeoutMs: config.timeoutMs,
      log: ctx.log,
      describeAuthError: (status) =>
        status === 401
          ? `Gleap refused the secret API token: check ${ctx.at}.apiToken (Gleap: Project settings > Security > Secret API token).`
          : `Gleap denied access with this token: check that ${ctx.at}.apiToken is the secret API token of the intended project.`,
    });
  },

  async testConnection(client: HttpClient, ctx = {}) {
    await client.get('/admin/auth', { label: 'gleap /admin/auth', retry: { maxAttempts: 2 }, ...ctx });
    return [`reached ${client.baseUrl}/admin/auth: the secret API token is valid`];
  },

  async onDelete(client: HttpClient, userId: string, ctx) {
    try {
      await client.delete(`/admin/contacts/${encodeURIComponent(userId)}`, { label: 'gleap /admin/contacts', ...ctx });
    } catch (err) {
      // Nothing to delete is what a deletion wants.
      if (err instanceof HttpError && err.status === 404) return;
      throw err;
    }
  },
});
