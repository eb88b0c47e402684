/**
 * The Gleap source: authentication, base URL and the project's rate budget around the
 * stream declarations in gleap-streams.ts. Everything else is the generic HTTP reader.
 */
import { z } from 'zod';
import { createHttpClient, type HttpClient } from '../../core/http/http-client.ts';
import type { AuthAdvice } from '../../core/http/http-failure.ts';
import { getRateBudget } from '../../core/http/rate-budget.ts';
import { QUICK_RETRY_POLICY, type RetryPolicy } from '../../core/http/retry-policy.ts';
import type { Logger } from '../../core/logger.ts';
import { readHttpStream } from '../http-stream/read-http-stream.ts';
import { defineSource } from '../source.ts';
import { gleapStreams } from './gleap-streams.ts';

export const GLEAP_API_URL = 'https://api.gleap.io/v3';
export const START_DATE_FORM = 'YYYY-MM-DDTHH:mm:ssZ, e.g. 2024-01-01T00:00:00Z';

export const gleapConfigSchema = z.strictObject({
  apiKey: z.string().min(1, 'expected the API key from Project Settings > Security > API Key'),
  projectId: z.string().min(1, 'expected the project ID from Project Settings'),
  startDate: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/, `expected ${START_DATE_FORM}`)
    .refine((s) => !Number.isNaN(Date.parse(s)), `expected a real date in the form ${START_DATE_FORM}`)
    .optional(),
  baseUrl: z.url({ message: 'expected an http(s) URL such as https://api.gleap.io/v3' }).default(GLEAP_API_URL),
  /** Requests per 60 s for this project; Gleap allows 1000. Lower it to leave room for other tools. */
  requestsPerMinute: z.number().int().min(1).max(1000).default(1000),
});
export type GleapConfig = z.infer<typeof gleapConfigSchema>;

/** The seed's troubleshooting table, as error text: which of the two settings to verify. */
export function describeGleapAuthError(status: number): AuthAdvice {
  return status === 401
    ? { message: 'Gleap refused the API key (401): verify `apiKey` under Project Settings > Security > API Key', settings: ['apiKey'] }
    : {
        message: 'Gleap refused access to the project (403): verify `projectId` (Project Settings), and that the API key belongs to that project',
        settings: ['projectId'],
      };
}

/** `retry`: e.g. QUICK_RETRY_POLICY for `check`; syncs keep the client's default patience. */
export function gleapClient(config: GleapConfig, log?: Logger, retry?: Partial<RetryPolicy>): HttpClient {
  return createHttpClient({
    baseUrl: config.baseUrl,
    headers: { Authorization: `Bearer ${config.apiKey}`, Project: config.projectId },
    budget: getRateBudget(`gleap:${config.projectId}`, { requests: config.requestsPerMinute, perMs: 60_000 }),
    describeAuthError: describeGleapAuthError,
    retry,
    log,
  });
}

export const gleapSource = defineSource<GleapConfig>({
  type: 'gleap',
  title: 'Gleap: tickets, sessions, messages, teams, surveys',
  configSchema: gleapConfigSchema,
  secretKeys: ['apiKey'],
  exampleConfig: `apiKey: \${GLEAP_API_KEY}           # Project Settings > Security > API Key
projectId: \${GLEAP_PROJECT_ID}     # Project Settings
startDate: 2024-01-01T00:00:00Z    # first sync starts here (YYYY-MM-DDTHH:mm:ssZ)
# baseUrl: http://127.0.0.1:4010/v3  # optional; e.g. the emulator (supportsync emulate gleap)
`,
  async check(config, ctx) {
    const client = gleapClient(config, ctx.log, QUICK_RETRY_POLICY);
    const body = await client.get<{ totalCount?: number }>('/tickets', { query: [['limit', 1]], signal: ctx.signal });
    return {
      ok: true,
      details: [
        `reached ${config.baseUrl} as project ${config.projectId}`,
        `${body.totalCount ?? '?'} tickets visible; rate budget ${config.requestsPerMinute} requests / 60 s`,
      ],
    };
  },
  discover: () => gleapStreams,
  read(config, request, ctx) {
    const def = gleapStreams.find((s) => s.name === request.stream.name)!;
    return readHttpStream(gleapClient(config, ctx.log), def, request, ctx, { startDate: config.startDate });
  },
});
