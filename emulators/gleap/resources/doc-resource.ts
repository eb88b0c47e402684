/**
 * Small collections (teams, agents, surveys, message templates) keep every document
 * stored: there are at most a few hundred, and the API edits them freely.
 */
import type { Prng } from '../../shared/prng.ts';
import type { Limits } from '../query/run-list-query.ts';
import type { GleapStore } from '../store/gleap-store.ts';
import type { Doc, TableName } from '../store/table.ts';
import { defineResource } from './resource-def.ts';
import type { ResourceDef } from './resource-def.ts';

export function docResource(
  name: TableName,
  limits: Limits,
  dateFields: readonly string[],
  makeDoc: (store: GleapStore, rng: Prng, index: number) => Doc,
): ResourceDef {
  return defineResource({
    name,
    columns: {},
    limits,
    install(store) {
      const t = store.table(name);
      for (const f of dateFields) t.dateFields.add(f);
      for (const doc of t.docs.values()) for (const key of Object.keys(doc)) t.knownFields.add(key);
    },
    create(store, rng, count) {
      const t = store.table(name);
      const rows: number[] = [];
      for (let k = 0; k < count; k++) {
        const i = t.append(store.clock.stamp());
        const doc = makeDoc(store, rng, i);
        t.docs.set(i, doc);
        for (const key of Object.keys(doc)) t.knownFields.add(key);
        rows.push(i);
      }
      return rows;
    },
  });
}
