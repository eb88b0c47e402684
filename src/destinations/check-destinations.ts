/**
 * `supportsync check` for destinations: runs each destination's connection test (Gleap:
 * `GET /admin/auth` with the secret API token) and says which setting is wrong.
 */
import type { Logger } from '../core/logger.ts';
import { silentLogger } from '../core/logger.ts';
import { redactError } from '../core/redact.ts';
import type { ResolvedDestination } from './resolve-destinations.ts';

export type DestinationCheck =
  | { name: string; type: string; ok: true; details: string[] }
  | { name: string; type: string; ok: false; error: string };

export async function checkDestinations(
  destinations: readonly ResolvedDestination[],
  options: { log?: Logger; signal?: AbortSignal; name?: string } = {},
): Promise<DestinationCheck[]> {
  const log = options.log ?? silentLogger;
  const chosen = options.name === undefined ? destinations : destinations.filter((d) => d.name === options.name);
  return Promise.all(
    chosen.map(async (d): Promise<DestinationCheck> => {
      try {
        const client = d.definition.createClient(d.config, { log, at: `${d.at}.config` });
        const details = await d.definition.testConnection(client, { signal: options.signal ?? AbortSignal.timeout(60_000) });
        return { name: d.name, type: d.type, ok: true, details };
      } catch (err) {
        return { name: d.name, type: d.type, ok: false, error: redactError(err) };
      }
    }),
  );
}
