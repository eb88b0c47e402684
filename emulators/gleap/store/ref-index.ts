/**
 * Rows grouped by the row they point to (messages by ticket, responses by survey), in row
 * order: a compact offsets + rows layout for the generated data, plus small lists for rows
 * added later. Deleted rows stay listed; readers check `alive`.
 */
import type { RefIndex } from './table.ts';

export function createRefIndex(refs: Int32Array, rowCount: number, targetCount: number): RefIndex {
  const offsets = new Int32Array(targetCount + 1);
  for (let i = 0; i < rowCount; i++) if (refs[i] >= 0) offsets[refs[i] + 1]++;
  for (let t = 0; t < targetCount; t++) offsets[t + 1] += offsets[t];
  const rows = new Int32Array(offsets[targetCount]);
  const fill = offsets.slice(0, targetCount);
  for (let i = 0; i < rowCount; i++) if (refs[i] >= 0) rows[fill[refs[i]]++] = i;
  const extra = new Map<number, number[]>();
  return {
    *rowsOf(target) {
      if (target >= 0 && target < targetCount) {
        for (let k = offsets[target]; k < offsets[target + 1]; k++) yield rows[k];
      }
      const more = extra.get(target);
      if (more) yield* more;
    },
    countOf(target) {
      const base = target >= 0 && target < targetCount ? offsets[target + 1] - offsets[target] : 0;
      return base + (extra.get(target)?.length ?? 0);
    },
    add(target, row) {
      const list = extra.get(target);
      if (list) list.push(row);
      else extra.set(target, [row]);
    },
  };
}
