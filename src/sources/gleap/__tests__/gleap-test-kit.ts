/** Shared set-up for Gleap source tests: the real emulator and the source resolved against it. */
import { sourceEntrySchema } from '../../../config/config-schema.ts';
import type { ResolvedSource } from '../../../config/load-config.ts';
import { gleapConfigSchema, gleapSource } from '../gleap-source.ts';

export const GLEAP_STREAMS = ['tickets', 'sessions', 'messages', 'teams', 'agents', 'surveys', 'survey_responses', 'message_templates'];

export function gleapResolved(url: string, config: Record<string, unknown> = {}, entry: Record<string, unknown> = {}): ResolvedSource {
  return {
    entry: sourceEntrySchema.parse({ name: 'gleap', type: 'gleap', folder: 'gleap', config: {}, ...entry }),
    source: gleapSource as ResolvedSource['source'],
    config: gleapConfigSchema.parse({
      apiKey: 'test-api-key', projectId: 'test-project', startDate: '2000-01-01T00:00:00Z', baseUrl: `${url}/v3`, ...config,
    }),
  };
}

export async function hook<T>(url: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${url}/__emulator/${path}`, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  return (await res.json()) as T;
}
