/** Request counters per label (the stream or operation name), reported the same way by every client. */

export interface HttpLabelStats {
  /** HTTP exchanges attempted, retries included. */
  requests: number;
  /** Attempts that were retries of an earlier one. */
  retries: number;
  /** Responses with status 429. */
  throttled: number;
  /** Response body bytes received. */
  bytes: number;
  /** Requests that finally failed (after any retries). */
  failures: number;
}

export interface HttpStats {
  total: HttpLabelStats;
  byLabel: Record<string, HttpLabelStats>;
}

const empty = (): HttpLabelStats => ({ requests: 0, retries: 0, throttled: 0, bytes: 0, failures: 0 });

export interface HttpStatsRecorder {
  add(label: string, field: keyof HttpLabelStats, amount?: number): void;
  snapshot(): HttpStats;
}

export function createHttpStats(): HttpStatsRecorder {
  const total = empty();
  const byLabel = new Map<string, HttpLabelStats>();
  return {
    add(label, field, amount = 1) {
      let s = byLabel.get(label);
      if (!s) byLabel.set(label, (s = empty()));
      s[field] += amount;
      total[field] += amount;
    },
    snapshot() {
      return {
        total: { ...total },
        byLabel: Object.fromEntries([...byLabel].map(([k, v]) => [k, { ...v }])),
      };
    },
  };
}
