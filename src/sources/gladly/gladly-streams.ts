/**
 * Gladly's four tables, declared as data: each is one file of every export job. All are
 * incremental on `_job_updated_at` (the `updatedAt` of the job a row came from) with
 * primary key `id`, and every row carries `_job_id` and `_job_updated_at`. Fields beyond
 * the declared columns land in `_extra`, so nothing the export holds is lost.
 *
 * Only INCREMENTAL is offered: Gladly keeps 14 days of exports, so a FULL_TABLE replace
 * would delete every row older than that.
 */
import type { Columns } from '../../core/columns.ts';
import type { StreamDescriptor } from '../source.ts';

export interface GladlyStreamDef extends StreamDescriptor {
  /** The file of an export job that holds this stream. */
  file: string;
  /** Adds columns derived from the record's own fields (in place; runs for every record). */
  derive?: (record: Record<string, unknown>) => void;
}

export const JOB_ID_COLUMN = '_job_id';
export const JOB_UPDATED_AT_COLUMN = '_job_updated_at';

const jobColumns = { [JOB_ID_COLUMN]: 'string', [JOB_UPDATED_AT_COLUMN]: 'timestamp' } as const satisfies Columns;

function defineGladlyStream(def: { name: string; description: string; columns: Columns; derive?: GladlyStreamDef['derive'] }): GladlyStreamDef {
  return {
    ...def,
    file: `${def.name}.jsonl`,
    columns: { ...def.columns, ...jobColumns },
    primaryKey: ['id'],
    cursorField: JOB_UPDATED_AT_COLUMN,
    syncTypes: ['INCREMENTAL'],
    defaultSyncType: 'INCREMENTAL',
  };
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);

/** The parts of `content`, `initiator` and `responder` every analysis filters on, as plain columns. */
function deriveItemColumns(r: Obj): void {
  const content = obj(r.content);
  const initiator = obj(r.initiator);
  const responder = obj(r.responder);
  r.content_type = content?.type;
  r.initiator_type = initiator?.type;
  r.initiator_id = initiator?.id;
  r.responder_type = responder?.type;
  r.responder_id = responder?.id;
}

export const gladlyStreams: readonly GladlyStreamDef[] = [
  defineGladlyStream({
    name: 'customers',
    description: 'Customer profiles created or updated in each export window',
    columns: {
      id: 'string', name: 'string', address: 'string', emailAddresses: 'json', phoneNumbers: 'json',
      // Lookup adaptors before 05/12/21 set the string, later ones the object; many profiles have neither.
      externalCustomerId: 'string', externalCustomerIds: 'json',
    },
  }),
  defineGladlyStream({
    name: 'conversation_items',
    description: 'Items of conversations (messages, calls, notes, status and topic changes); content kept as JSON',
    columns: {
      id: 'string', conversationId: 'string', customerId: 'string', timestamp: 'timestamp',
      initiator: 'json', responder: 'json', content: 'json',
      content_type: 'string', initiator_type: 'string', initiator_id: 'string', responder_type: 'string', responder_id: 'string',
    },
    derive: deriveItemColumns,
  }),
  defineGladlyStream({
    name: 'agents',
    description: 'Agents of the organization',
    columns: { id: 'string', name: 'string', emailAddress: 'string' },
  }),
  defineGladlyStream({
    name: 'topics',
    description: 'Topics that categorize conversations; parentId links a sub-topic to its parent',
    columns: { id: 'string', name: 'string', disabled: 'boolean', parentId: 'string' },
  }),
];
