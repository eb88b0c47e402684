import { DuckDBInstance } from '@duckdb/node-api';
import { mkdtempSync, rmSync } from 'node:fs'; import { tmpdir } from 'node:os'; import { join } from 'node:path';
const which = process.argv[2]; const F = '/tmp/gl/items.jsonl';
const dir = mkdtempSync(join(tmpdir(),'dx-'));
const db = await DuckDBInstance.create(join(dir,'x.duckdb'), { memory_limit: process.env.ML ?? '256MB', checkpoint_threshold: '256MB', ...(process.env.TH ? { threads: process.env.TH } : {}) });
const c = await db.connect(); await c.run(`SET preserve_insertion_order=${process.env.PIO ?? 'false'}`);
const cols = `{'id':'VARCHAR','conversationId':'VARCHAR','customerId':'VARCHAR','timestamp':'TIMESTAMPTZ','initiator':'JSON','responder':'JSON','content':'JSON'}`;
const struct = `{"id":"VARCHAR","conversationId":"VARCHAR","customerId":"VARCHAR","timestamp":"VARCHAR","initiator":"JSON","responder":"JSON","content":"JSON"}`;
const q: Record<string,string> = {
  base: `create table t as select * from read_json('${F}', format='newline_delimited', columns=${cols})`,
  derived: `create table t as select *, content->>'$.type' as content_type, initiator->>'$.type' initiator_type, initiator->>'$.id' initiator_id, responder->>'$.type' responder_type, responder->>'$.id' responder_id, 'JOB' as _job_id, TIMESTAMPTZ '2026-11-20 00:00:00Z' as _job_updated_at from read_json('${F}', format='newline_delimited', columns=${cols})`,
  objects: `create table t as select s.* from (select from_json(json, '${struct}') s from read_ndjson_objects('${F}'))`,
  lines: `create table t as select l from read_csv('${F}', columns={'l':'VARCHAR'}, delim=CHR(1), quote='', escape='', header=false, auto_detect=false)`,
  linesjson: `create table t as select s.* from (select from_json(l, '${struct}') s from read_csv('${F}', columns={'l':'VARCHAR'}, delim=CHR(1), quote='', escape='', header=false, auto_detect=false))`,
};
const t0 = performance.now(); await c.run(q[which]!); const t1 = performance.now();
const n = (await c.runAndReadAll('select count(*) from t')).getRows()[0]![0];
await c.run('checkpoint'); const t2 = performance.now();
console.log(which, n, ((t1-t0)/1000).toFixed(2), 's, checkpoint', ((t2-t1)/1000).toFixed(2), 'rss', process.resourceUsage().maxRSS>>10);
rmSync(dir,{recursive:true,force:true});
