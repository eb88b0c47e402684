/**
 * Live progress for `sync` on a terminal: one line per stream with records read so far,
 * then its result. Silent when stdout is not a TTY or `--json` is on.
 */
import cliProgress from 'cli-progress';
import type { ProgressEvent } from '../engine/sync-run.ts';

export function createProgress(enabled: boolean): { onProgress: (e: ProgressEvent) => void; stop(): void } {
  if (!enabled) return { onProgress: () => {}, stop: () => {} };
  const bars = new cliProgress.MultiBar(
    {
      format: ' {status} {stream} {records} records {detail}',
      hideCursor: true,
      clearOnComplete: false,
      stopOnComplete: false,
      fps: 8,
    },
    cliProgress.Presets.shades_classic,
  );
  const byStream = new Map<string, cliProgress.SingleBar>();
  return {
    onProgress(e) {
      if (e.type === 'stream-start') {
        byStream.set(e.stream, bars.create(1, 0, { stream: e.stream.padEnd(18), records: 0, status: '…', detail: `→ ${e.table} (${e.syncType})` }));
      } else if (e.type === 'records') {
        byStream.get(e.stream)?.update(0, { records: e.records });
      } else {
        const r = e.result;
        byStream.get(e.stream)?.update(1, {
          records: r.records,
          status: r.status === 'succeeded' ? '✔' : '✘',
          detail: r.status === 'succeeded' ? `+${r.inserted} new, ${r.updated} updated, ${r.requests} requests` : r.error ?? '',
        });
      }
    },
    stop: () => bars.stop(),
  };
}
