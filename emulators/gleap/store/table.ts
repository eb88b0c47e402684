/**
 * One collection of the emulated Gleap database, kept compact: rows are indexes into typed
 * columns (timestamps, enum codes, relation indexes), and the JSON documents are built
 * only when a response needs them. Rows that the API itself created or edited keep a
 * full stored document instead (`docs`), which wins over the generated one.
 *
 * Invariants the query engine relies on:
 * - Row order is creation order: `createdAt` never decreases with the row index, and a
 *   row's id sorts with its index (ids are `createdAt seconds | table tag | row index`).
 * - `byUpdated` lists the live rows sorted by (updatedAt, row index), so a range on
 *   `updatedAt` is a binary search and a slice.
 * - Every change bumps `version`, which invalidates cached query results.
 */
import { iso } from '../data/format.ts';

export type Doc = Record<string, unknown>;

export type TableName =
  | 'tickets'
  | 'messages'
  | 'sessions'
  | 'teams'
  | 'agents'
  | 'surveys'
  | 'survey_responses'
  | 'message_templates';

export const TABLE_NAMES: readonly TableName[] = [
  'tickets', 'sessions', 'messages', 'teams', 'agents', 'surveys', 'survey_responses', 'message_templates',
];

type NumericArray = Float64Array | Float32Array | Int32Array | Uint32Array | Int16Array | Uint16Array | Uint8Array | Int8Array;
type NumericArrayCtor = { new (length: number): NumericArray; readonly BYTES_PER_ELEMENT: number };
export type ColumnSpec = Record<string, NumericArrayCtor>;
export type ColumnsOf<S extends ColumnSpec> = { [K in keyof S]: InstanceType<S[K]> };

/** Fast typed access to a field without building the document (for filters and sorts). */
export type FieldDef =
  | { kind: 'date'; get(i: number): number } // epoch ms, NaN = null
  | { kind: 'number'; get(i: number): number } // NaN = null
  | { kind: 'boolean'; get(i: number): boolean }
  | { kind: 'string'; get(i: number): string | null; rank?(i: number): number }
  | { kind: 'ref'; target: TableName; get(i: number): number } // row index in `target`, -1 = null
  | { kind: 'strings'; get(i: number): readonly string[] };

export type FieldKind = FieldDef['kind'];

/** Rows of this table grouped by a relation (e.g. messages by ticket), in row order. */
export interface RefIndex {
  rowsOf(target: number): Iterable<number>;
  countOf(target: number): number;
  add(target: number, row: number): void;
}

export class Table<S extends ColumnSpec = ColumnSpec> {
  readonly name: TableName;
  /** Six hex digits, distinct per table and seed: the middle of every id. */
  readonly tag: string;
  size = 0;
  /** Rows [0, generatedRows) came from the generator; later ones from hooks and the API. */
  generatedRows = 0;
  aliveCount = 0;
  version = 0;
  capacity = 0;
  createdAt = new Float64Array(0);
  updatedAt = new Float64Array(0);
  alive = new Uint8Array(0);
  cols: ColumnsOf<S>;
  /** Live rows sorted by (updatedAt, index); `byUpdatedLen` entries are valid. */
  byUpdated = new Int32Array(0);
  byUpdatedLen = 0;
  /** Stored documents: API-created or API-edited rows, and all rows of small tables. */
  readonly docs = new Map<number, Doc>();
  fields: Record<string, FieldDef> = {};
  readonly refIndexes = new Map<string, RefIndex>();
  /**
   * Builds the generated document of row `i`, identity and timestamps included (use
   * `head` and `tail`); stored docs are handled by `materialize`.
   */
  generate: (i: number) => Doc = (i) => ({ ...this.head(i), ...this.tail(i) });
  /** Field names that hold dates (for documents stored as JSON with ISO strings). */
  dateFields = new Set<string>(['createdAt', 'updatedAt']);
  /** Fields a generated document has: a filter on anything else can only match stored docs. */
  knownFields = new Set<string>(['_id', 'id', 'createdAt', 'updatedAt']);
  private readonly spec: S;

  constructor(name: TableName, tag: string, spec: S, capacity: number) {
    this.name = name;
    this.tag = tag;
    this.spec = spec;
    this.cols = {} as ColumnsOf<S>;
    this.grow(Math.max(16, capacity));
  }

  /** Makes room for at least `n` rows; new cells hold NaN (floats), -1 (Int32) or 0. */
  ensureCapacity(n: number): void {
    if (n > this.capacity) this.grow(Math.max(n, Math.ceil(this.capacity * 1.5)));
  }

  private grow(capacity: number): void {
    const old = this.capacity;
    const resize = <A extends NumericArray>(arr: A, ctor: NumericArrayCtor): A => {
      const next = new ctor(capacity) as A;
      next.set(arr.subarray(0, old) as never);
      if (next instanceof Float64Array || next instanceof Float32Array) next.fill(NaN, old);
      else if (next instanceof Int32Array) next.fill(-1, old);
      return next;
    };
    this.createdAt = resize(this.createdAt, Float64Array);
    this.updatedAt = resize(this.updatedAt, Float64Array);
    this.alive = resize(this.alive, Uint8Array);
    for (const [key, ctor] of Object.entries(this.spec)) {
      (this.cols as Record<string, NumericArray>)[key] = resize(
        (this.cols as Record<string, NumericArray>)[key] ?? new ctor(0),
        ctor,
      );
    }
    const by = new Int32Array(capacity);
    by.set(this.byUpdated.subarray(0, this.byUpdatedLen));
    this.byUpdated = by;
    this.capacity = capacity;
  }

  /**
   * Bulk generation: makes rows [0, n) live at once. The caller fills the columns (in
   * createdAt order) and then calls `rebuildUpdatedIndex`.
   */
  initRows(n: number): void {
    this.ensureCapacity(n);
    this.alive.fill(1, 0, n);
    this.size = n;
    this.generatedRows = n;
    this.aliveCount = n;
    this.version++;
  }

  /** Appends a live row stamped `createdAt`/`updatedAt` (>= every existing createdAt). */
  append(createdAt: number, updatedAt = createdAt): number {
    const i = this.size;
    this.ensureCapacity(i + 1);
    if (i > 0 && createdAt < this.createdAt[i - 1]) {
      throw new Error(`${this.name}: rows must be appended in createdAt order`);
    }
    this.createdAt[i] = createdAt;
    this.updatedAt[i] = updatedAt;
    this.alive[i] = 1;
    this.size = i + 1;
    this.aliveCount++;
    this.insertUpdated(i);
    this.version++;
    return i;
  }

  idOf(i: number): string {
    return objectId(this.createdAt[i], this.tag, i);
  }

  /** Row index of a 24-hex id of this table, or -1. Deleted rows count only if asked. */
  indexOf(id: string, includeDeleted = false): number {
    if (typeof id !== 'string' || id.length !== 24 || id.slice(8, 14) !== this.tag || !HEX24.test(id)) return -1;
    const i = parseInt(id.slice(14), 16);
    if (!(i < this.size) || (!includeDeleted && !this.alive[i])) return -1;
    return this.idOf(i) === id ? i : -1;
  }

  /** The response document of row `i`: the stored one if any, else the generated one. */
  materialize(i: number): Doc {
    const stored = this.docs.get(i);
    if (!stored) return this.generate(i);
    // Identity and timestamps always come from the columns (the hooks move them).
    return { ...this.head(i), ...stored, ...this.tail(i) };
  }

  /** The fields every document starts with. */
  head(i: number): { _id: string; id: string } {
    const id = this.idOf(i);
    return { _id: id, id };
  }

  /** The fields every document ends with. */
  tail(i: number): { createdAt: string; updatedAt: string } {
    return { createdAt: iso(this.createdAt[i])!, updatedAt: iso(this.updatedAt[i])! };
  }

  /** Sets a new updatedAt and moves the row to its place in `byUpdated`. */
  touch(rows: readonly number[], stamps: readonly number[]): void {
    const moving = new Set(rows);
    let w = 0;
    for (let r = 0; r < this.byUpdatedLen; r++) {
      const i = this.byUpdated[r];
      if (!moving.has(i)) this.byUpdated[w++] = i;
    }
    this.byUpdatedLen = w;
    rows.forEach((i, k) => {
      this.updatedAt[i] = stamps[k];
      if (this.alive[i]) this.insertUpdated(i);
    });
    this.version++;
  }

  /** Marks a row deleted: it disappears from lists, gets and counts. */
  remove(i: number): boolean {
    if (!this.alive[i]) return false;
    this.alive[i] = 0;
    this.aliveCount--;
    const pos = this.positionInUpdated(i);
    if (pos >= 0) {
      this.byUpdated.copyWithin(pos, pos + 1, this.byUpdatedLen);
      this.byUpdatedLen--;
    }
    this.docs.delete(i);
    this.version++;
    return true;
  }

  /** Builds `byUpdated` from scratch (after bulk generation). */
  rebuildUpdatedIndex(): void {
    const rows: number[] = [];
    for (let i = 0; i < this.size; i++) if (this.alive[i]) rows.push(i);
    const u = this.updatedAt;
    const perm = Int32Array.from(rows);
    perm.sort((a, b) => u[a] - u[b] || a - b);
    this.byUpdated.set(perm);
    this.byUpdatedLen = perm.length;
    this.version++;
  }

  /** First position in `byUpdated` whose updatedAt is >= `ms` (or > when `strict`). */
  lowerBoundUpdated(ms: number, strict: boolean): number {
    let lo = 0;
    let hi = this.byUpdatedLen;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const v = this.updatedAt[this.byUpdated[mid]];
      if (v < ms || (strict && v === ms)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** First row index whose createdAt is >= `ms` (or > when `strict`). */
  lowerBoundCreated(ms: number, strict: boolean): number {
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const v = this.createdAt[mid];
      if (v < ms || (strict && v === ms)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private positionInUpdated(i: number): number {
    const ms = this.updatedAt[i];
    let lo = this.lowerBoundUpdated(ms, false);
    for (; lo < this.byUpdatedLen && this.updatedAt[this.byUpdated[lo]] === ms; lo++) {
      if (this.byUpdated[lo] === i) return lo;
    }
    return -1;
  }

  private insertUpdated(i: number): void {
    const ms = this.updatedAt[i];
    let pos = this.byUpdatedLen;
    // Appends are the common case (a bump to "now"); otherwise shift the tail.
    if (pos > 0) {
      const last = this.byUpdated[pos - 1];
      const lu = this.updatedAt[last];
      if (lu > ms || (lu === ms && last > i)) {
        pos = this.lowerBoundUpdated(ms, true);
        while (pos > 0 && this.updatedAt[this.byUpdated[pos - 1]] === ms && this.byUpdated[pos - 1] > i) pos--;
        this.byUpdated.copyWithin(pos + 1, pos, this.byUpdatedLen);
      }
    }
    this.byUpdated[pos] = i;
    this.byUpdatedLen++;
  }
}

const HEX24 = /^[0-9a-f]{24}$/;

const HEX_BYTE = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

/** A MongoDB-style ObjectId: 4 bytes of creation seconds, then our table tag and row index. */
export function objectId(createdAtMs: number, tag: string, index: number): string {
  const secs = Math.floor(createdAtMs / 1000) >>> 0;
  const high = Math.floor(index / 4294967296) & 255; // index: 5 bytes
  const low = index >>> 0;
  return (
    HEX_BYTE[secs >>> 24] + HEX_BYTE[(secs >>> 16) & 255] + HEX_BYTE[(secs >>> 8) & 255] + HEX_BYTE[secs & 255] +
    tag +
    HEX_BYTE[high] + HEX_BYTE[low >>> 24] + HEX_BYTE[(low >>> 16) & 255] + HEX_BYTE[(low >>> 8) & 255] + HEX_BYTE[low & 255]
  );
}
