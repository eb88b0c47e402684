/**
 * The warehouse's own tables, in schema `_supportsync`:
 * - `state`: one bookmark per (source, stream), written in the same transaction as the rows;
 * - `runs`:  one RunRecord per run (`streams` as JSON), upserted at start and end;
 * - `loads`: the loads log, one row per load of one stream within a run;
 * - `meta`:  key/value facts about the file itself (schema version, row-hash probe).
 * Small tables, so they carry PRIMARY KEYs and upsert with ON CONFLICT.
 */
import type { StreamState } from '../../sources/source.ts';
import { redact } from '../../core/redact.ts';
import { BOOKKEEPING_SCHEMA } from '../placement.ts';
import type { LoadCounts, LoadLogEntry, LoadMode, RunRecord } from '../warehouse.ts';
import type { Db } from './db.ts';
import { quoteIdent, sqlString } from './sql-names.ts';

const S = quoteIdent(BOOKKEEPING_SCHEMA);
const INTERRUPTED = 'interrupted: the process stopped before this finished';

const DDL = [
  `CREATE SCHEMA IF NOT EXISTS ${S}`,
  `CREATE TABLE IF NOT EXISTS ${S}.meta (key VARCHAR PRIMARY KEY, value VARCHAR)`,
  `CREATE TABLE IF NOT EXISTS ${S}.state (
    source VARCHAR NOT NULL, stream VARCHAR NOT NULL, state JSON NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL, run_id VARCHAR,
    PRIMARY KEY (source, stream))`,
  `CREATE TABLE IF NOT EXISTS ${S}.runs (
    run_id VARCHAR PRIMARY KEY, source VARCHAR NOT NULL, "trigger" VARCHAR NOT NULL, status VARCHAR NOT NULL,
    started_at TIMESTAMPTZ NOT NULL, finished_at TIMESTAMPTZ, duration_ms BIGINT,
    streams JSON NOT NULL, error VARCHAR)`,
  `CREATE TABLE IF NOT EXISTS ${S}.loads (
    load_id VARCHAR PRIMARY KEY, run_id VARCHAR NOT NULL, source VARCHAR NOT NULL, stream VARCHAR NOT NULL,
    table_name VARCHAR NOT NULL, mode VARCHAR NOT NULL, status VARCHAR NOT NULL,
    "rows" BIGINT NOT NULL DEFAULT 0, inserted BIGINT NOT NULL DEFAULT 0, updated BIGINT NOT NULL DEFAULT 0,
    unchanged BIGINT NOT NULL DEFAULT 0, deleted BIGINT NOT NULL DEFAULT 0,
    started_at TIMESTAMPTZ NOT NULL, finished_at TIMESTAMPTZ, error VARCHAR)`,
];

const ts = (d: Date | string) => (typeof d === 'string' ? d : d.toISOString());
const optionalDate = (v: unknown) => (v instanceof Date ? v : undefined);

export const bookkeeping = {
  async ensure(db: Db): Promise<void> {
    for (const sql of DDL) await db.run(sql);
    await bookkeeping.setMeta(db, 'schema_version', '1');
  },

  /**
   * Marks loads and runs left `running` by a process that died as failed. Safe because a
   * DuckDB file has one writer process: whoever opened it is the only one that could be running.
   */
  async recoverInterrupted(db: Db): Promise<{ loads: number; runs: number }> {
    const loads = await db.run(
      `UPDATE ${S}.loads SET status = 'failed', finished_at = now(), error = coalesce(error, $1) WHERE status = 'running'`,
      [INTERRUPTED],
    );
    const runs = await db.run(
      `UPDATE ${S}.runs SET status = 'failed', finished_at = coalesce(finished_at, now()), error = coalesce(error, $1) WHERE status = 'running'`,
      [INTERRUPTED],
    );
    return { loads, runs };
  },

  async getMeta(db: Db, key: string): Promise<string | undefined> {
    const rows = await db.rows<{ value: string }>(`SELECT value FROM ${S}.meta WHERE key = $1`, [key]);
    return rows[0]?.value;
  },

  async setMeta(db: Db, key: string, value: string): Promise<void> {
    await db.run(`INSERT INTO ${S}.meta VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, [key, value]);
  },

  async readState(db: Db, source: string, stream: string): Promise<StreamState | undefined> {
    const rows = await db.rows<{ state: string }>(`SELECT state FROM ${S}.state WHERE source = $1 AND stream = $2`, [source, stream]);
    return rows.length ? (JSON.parse(rows[0].state) as StreamState) : undefined;
  },

  /** The statement that saves a stream's state, for the commit's script (see Db.script). */
  writeStateSql(source: string, stream: string, state: StreamState, runId: string, at: string): string {
    return `INSERT INTO ${S}.state VALUES (${sqlString(source)}, ${sqlString(stream)}, CAST(${sqlString(JSON.stringify(state))} AS JSON), CAST(${sqlString(at)} AS TIMESTAMPTZ), ${sqlString(runId)})
       ON CONFLICT (source, stream) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at, run_id = excluded.run_id`;
  },

  async clearState(db: Db, source: string, stream: string): Promise<void> {
    await db.run(`DELETE FROM ${S}.state WHERE source = $1 AND stream = $2`, [source, stream]);
  },

  async saveRun(db: Db, run: RunRecord): Promise<void> {
    await db.run(
      `INSERT INTO ${S}.runs VALUES ($1, $2, $3, $4, CAST($5 AS TIMESTAMPTZ), CAST($6 AS TIMESTAMPTZ), CAST($7 AS BIGINT), CAST($8 AS JSON), $9)
       ON CONFLICT (run_id) DO UPDATE SET source = excluded.source, "trigger" = excluded."trigger", status = excluded.status,
         started_at = excluded.started_at, finished_at = excluded.finished_at, duration_ms = excluded.duration_ms,
         streams = excluded.streams, error = excluded.error`,
      [
        run.runId, run.source, run.trigger, run.status, ts(run.startedAt),
        run.finishedAt ? ts(run.finishedAt) : null,
        run.durationMs ?? null,
        redact(JSON.stringify(run.streams)),
        run.error === undefined ? null : redact(run.error),
      ],
    );
  },

  async listRuns(db: Db, opts: { source?: string; limit?: number } = {}): Promise<RunRecord[]> {
    const rows = await db.rows(
      `SELECT * FROM ${S}.runs WHERE ($1 IS NULL OR source = $1) ORDER BY started_at DESC, run_id DESC LIMIT $2`,
      [opts.source ?? null, limitOf(opts.limit)],
    );
    return rows.map((r) => ({
      runId: r.run_id as string,
      source: r.source as string,
      trigger: r.trigger as RunRecord['trigger'],
      status: r.status as RunRecord['status'],
      startedAt: r.started_at as Date,
      ...(r.finished_at instanceof Date ? { finishedAt: r.finished_at } : {}),
      ...(r.duration_ms !== null ? { durationMs: Number(r.duration_ms) } : {}),
      streams: JSON.parse(r.streams as string) as RunRecord['streams'],
      ...(r.error !== null ? { error: r.error as string } : {}),
    }));
  },

  async startLoad(db: Db, load: { loadId: string; runId: string; source: string; stream: string; table: string; mode: LoadMode; at: string }): Promise<void> {
    await db.run(
      `INSERT INTO ${S}.loads (load_id, run_id, source, stream, table_name, mode, status, started_at)
       VALUES ($1, $2, $3, $4, $5, $6, 'running', CAST($7 AS TIMESTAMPTZ))`,
      [load.loadId, load.runId, load.source, load.stream, load.table, load.mode, load.at],
    );
  },

  /** The statement that adds one commit's figures to the load's totals, for the commit's script. */
  recordCommitSql(loadId: string, rows: number, counts: LoadCounts, at: string): string {
    const n = (v: number) => String(Math.trunc(v)); // counts are whole numbers; nothing else reaches the SQL
    return `UPDATE ${S}.loads SET status = 'committed', "rows" = "rows" + ${n(rows)}, inserted = inserted + ${n(counts.inserted)},
         updated = updated + ${n(counts.updated)}, unchanged = unchanged + ${n(counts.unchanged)}, deleted = deleted + ${n(counts.deleted)},
         finished_at = CAST(${sqlString(at)} AS TIMESTAMPTZ)
       WHERE load_id = ${sqlString(loadId)}`;
  },

  async failLoad(db: Db, loadId: string, reason: string, at: string): Promise<void> {
    await db.run(
      `UPDATE ${S}.loads SET status = 'failed', error = $2, finished_at = CAST($3 AS TIMESTAMPTZ) WHERE load_id = $1`,
      [loadId, redact(reason), at],
    );
  },

  async listLoads(db: Db, opts: { runId?: string; limit?: number } = {}): Promise<LoadLogEntry[]> {
    const rows = await db.rows(
      `SELECT * FROM ${S}.loads WHERE ($1 IS NULL OR run_id = $1) ORDER BY started_at DESC, load_id DESC LIMIT $2`,
      [opts.runId ?? null, limitOf(opts.limit)],
    );
    return rows.map((r) => ({
      loadId: r.load_id as string,
      runId: r.run_id as string,
      source: r.source as string,
      stream: r.stream as string,
      table: r.table_name as string,
      status: r.status as LoadLogEntry['status'],
      rows: Number(r.rows),
      inserted: Number(r.inserted),
      updated: Number(r.updated),
      startedAt: r.started_at as Date,
      ...(optionalDate(r.finished_at) ? { finishedAt: r.finished_at as Date } : {}),
    }));
  },
};

/** LIMIT takes a BIGINT; "no limit" is the largest one. */
function limitOf(limit: number | undefined): number {
  return limit === undefined ? Number.MAX_SAFE_INTEGER : Math.max(0, Math.floor(limit));
}
