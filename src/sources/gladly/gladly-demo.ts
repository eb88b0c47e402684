/**
 * What `supportsync demo` needs for Gladly: the emulator started in-process (a daily
 * schedule, so the first sync is a few dozen requests), the source wired to it with tables
 * in the `gladly` folder, and a few KPIs computed from what landed.
 */
import { startGladlyEmulator } from '../../../emulators/gladly/index.ts';
import { sourceEntrySchema } from '../../config/config-schema.ts';
import type { ResolvedSource } from '../../config/load-config.ts';
import type { Warehouse } from '../../warehouse/warehouse.ts';
import { conversationsView } from './conversations-view.ts';
import { gladlyConfigSchema } from './gladly-config.ts';
import { gladlySource } from './gladly-source.ts';

export interface GladlyDemo {
  source: ResolvedSource;
  /** Support KPIs from the synced tables (one row of named figures). */
  kpis(warehouse: Warehouse): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

/** `scale` as the emulator's (about 30 conversation items per hour of export window per unit). */
export async function startGladlyDemo(opts: { scale?: number; now?: Date } = {}): Promise<GladlyDemo> {
  const emulator = await startGladlyEmulator({ seed: 1, scale: opts.scale ?? 1, schedule: 'daily', now: opts.now, rateLimit: false });
  const raw = { organization: 'demo', email: emulator.email, apiToken: emulator.token, baseUrl: emulator.apiBase, requestsPerSecond: 100 };
  const entry = sourceEntrySchema.parse({ name: 'gladly', type: 'gladly', folder: 'gladly', config: {} });
  const source: ResolvedSource = { entry, source: gladlySource as ResolvedSource['source'], config: gladlyConfigSchema.parse(raw) };
  return {
    source,
    async kpis(warehouse) {
      const items = warehouse.qualifiedName({ layer: entry.layer, folder: entry.folder, name: 'conversation_items' });
      const conversations = `(${conversationsView.sql({ conversation_items: items })})`;
      const res = await warehouse.query(`select
        count(*) as "conversations",
        count(*) filter (where status = 'CLOSED') as "closed conversations",
        round(median(epoch(first_agent_message_at) - epoch(first_customer_message_at)) filter (where first_agent_message_at > first_customer_message_at) / 60, 1) as "median first agent reply (min)",
        (select count(*) from ${items}) as "conversation items"
        from ${conversations} c`);
      return res.rows[0] ?? {};
    },
    close: () => emulator.close(),
  };
}
