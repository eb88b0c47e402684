/** The benchmark suites: each runs its cases and states its targets with the measured figures. */
export type RunCase = (name: string, args?: (string | number)[]) => Record<string, any>;

export interface SuiteResult {
  table: Record<string, unknown>[];
  targets: Record<string, { met: boolean; detail: string }>;
  [key: string]: unknown;
}

export interface Suite {
  name: string;
  description: string;
  run(runCase: RunCase): Promise<SuiteResult>;
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

export const suites: Suite[] = [
  {
    name: 'engine-load',
    description: 'N synthetic 35-column tickets through the engine into DuckDB vs DuckDB read_json of the same NDJSON',
    async run(runCase) {
      const sizes = [100_000, 1_000_000];
      const cases = sizes.map((n) => ({ n, engine: runCase('engine-load', [n]), baseline: runCase('read-json-baseline', [n]) }));
      const table = cases.map(({ n, engine, baseline }) => ({
        records: n,
        'engine rec/s': Math.round(engine.recordsPerSecond),
        'read_json rec/s': Math.round(baseline.recordsPerSecond),
        'time ratio': round(engine.seconds / baseline.seconds),
        'engine peak RSS MB': Math.round(engine.peakRssMb),
        'read_json peak RSS MB': Math.round(baseline.peakRssMb),
      }));
      const worstRatio = Math.max(...cases.map((c) => c.engine.seconds / c.baseline.seconds));
      const rss = cases.map((c) => c.engine.peakRssMb);
      return {
        cases, table,
        targets: {
          'engine within 2x of read_json': { met: worstRatio <= 2, detail: `worst time ratio ${round(worstRatio)}x` },
          'peak RSS under 300 MB': { met: Math.max(...rss) < 300, detail: `max ${Math.round(Math.max(...rss))} MB` },
          'peak RSS flat from 100k to 1M': { met: rss[1]! < rss[0]! * 1.25, detail: `${Math.round(rss[0]!)} MB → ${Math.round(rss[1]!)} MB` },
        },
      };
    },
  },
];
