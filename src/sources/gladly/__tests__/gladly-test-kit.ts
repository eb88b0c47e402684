/** Shared by the Gladly engine tests and their child process: the source wired to an emulator. */
import { sourceEntrySchema } from '../../../config/config-schema.ts';
import type { ResolvedSource } from '../../../config/load-config.ts';
import { gladlyConfigSchema } from '../gladly-config.ts';
import { gladlySource } from '../gladly-source.ts';

export interface EmulatorAccess {
  apiBase: string;
  email: string;
  token: string;
}

/** The config block for an emulator: rate budget raised, since the emulator runs without a limit in tests. */
export const emulatorConfig = (emu: EmulatorAccess, overrides: Record<string, unknown> = {}) => ({
  organization: 'acme', email: emu.email, apiToken: emu.token, baseUrl: emu.apiBase, requestsPerSecond: 1000, ...overrides,
});

export function gladlyResolved(emu: EmulatorAccess, opts: { entry?: Record<string, unknown>; config?: Record<string, unknown> } = {}): ResolvedSource {
  const raw = emulatorConfig(emu, opts.config);
  return {
    entry: sourceEntrySchema.parse({ name: 'gladly', type: 'gladly', config: raw, ...opts.entry }),
    source: gladlySource as ResolvedSource['source'],
    config: gladlyConfigSchema.parse(raw),
  };
}

export const STREAMS = ['customers', 'conversation_items', 'agents', 'topics'] as const;
