/**
 * The Gladly source: customers, conversation items, agents and topics from Gladly's
 * scheduled export jobs (NDJSON files, kept 14 days), applied oldest first and merged on
 * `id` so the newest job wins. How a stream is read is in read-gladly-stream.ts; the tables
 * are declared in gladly-streams.ts; the `conversations` view in conversations-view.ts.
 */
import { QUICK_RETRY_POLICY } from '../../core/http/retry-policy.ts';
import { defineSource } from '../source.ts';
import { conversationsView } from './conversations-view.ts';
import { listExportJobs } from './export-jobs.ts';
import { gladlyClient } from './gladly-client.ts';
import { gladlyApiUrl, gladlyBaseUrl, gladlyConfigSchema, type GladlyConfig } from './gladly-config.ts';
import { gladlyStreams } from './gladly-streams.ts';
import { readGladlyStream } from './read-gladly-stream.ts';

export { gladlyConfigSchema, type GladlyConfig } from './gladly-config.ts';

export const gladlySource = defineSource<GladlyConfig>({
  type: 'gladly',
  title: 'Gladly: customers, conversation items, agents, topics (export jobs)',
  configSchema: gladlyConfigSchema,
  secretKeys: ['apiToken'],
  exampleConfig: `organization: myorg                # the first part of your Gladly URL: myorg.gladly.com
email: agent@myorg.com             # the agent the API token belongs to (needs the API User permission)
apiToken: \${GLADLY_API_TOKEN}      # Settings > API Tokens
# region: us-1                     # optional region shard: myorg.us-1.gladly.com
# sandbox: true                    # optional: myorg.gladly.qa
# baseUrl: http://127.0.0.1:4020/api/v1  # optional override, e.g. the emulator (supportsync emulate gladly)
`,
  async check(config, ctx) {
    const client = gladlyClient(config, ctx.log, QUICK_RETRY_POLICY);
    const { jobs } = await listExportJobs(client, { label: 'check', signal: ctx.signal, onRequest: () => ctx.countRequest('check') });
    const schedules = await client.get<unknown>('/export/schedules', { label: 'check', signal: ctx.signal, onRequest: () => ctx.countRequest('check') });
    const byStatus = new Map<string, number>();
    for (const j of jobs) byStatus.set(j.status, (byStatus.get(j.status) ?? 0) + 1);
    const completed = jobs.filter((j) => j.status === 'COMPLETED');
    const frequency = Array.isArray(schedules) ? schedules.map((s) => (s as { frequency?: string })?.frequency).filter(Boolean).join(', ') : '';
    const target = config.baseUrl
      ? `BASE URL OVERRIDE: reached ${gladlyBaseUrl(config)} instead of ${gladlyApiUrl(config)}; the API token is sent there`
      : `reached ${gladlyBaseUrl(config)}`;
    return {
      ok: true,
      details: [
        `${target} as agent ${config.email}`,
        `${jobs.length} export job(s) in the last 14 days (${[...byStatus].map(([s, n]) => `${n} ${s}`).join(', ') || 'none'})` +
          (completed.length ? `; newest completed updated at ${completed.at(-1)!.updatedAt}` : ''),
        `export schedule: ${frequency || 'none listed'}; rate budget ${config.requestsPerSecond} requests / s`,
      ],
    };
  },
  discover: () => gladlyStreams.map(({ file: _file, derive: _derive, ...descriptor }) => descriptor),
  views: [conversationsView],
  read(config, request, ctx) {
    const stream = gladlyStreams.find((s) => s.name === request.stream.name)!;
    return readGladlyStream(gladlyClient(config, ctx.log), stream, request, ctx);
  },
});
