/**
 * The response shapes of Gleap's document endpoints that the client relies on: a
 * document has an id (`id`, or Mongo's `_id`), lists are arrays or documented wrappers.
 * Everything else in a document is passed through untouched.
 */
import { z } from 'zod';

/** A Gleap document: whatever fields it has, and always `id`. */
export type GleapDocument = { id: string } & Record<string, unknown>;

export const documentSchema = z
  .looseObject({ id: z.string().optional(), _id: z.string().optional() })
  .refine((d) => typeof d.id === 'string' || typeof d._id === 'string', { message: 'a document needs an id or _id' })
  .transform((d): GleapDocument => ({ ...d, id: (d.id ?? d._id) as string }));

export const documentsSchema = z.array(documentSchema);

const count = z.union([z.number(), z.string()]).transform(Number).nullish();

export const ticketPageSchema = z.looseObject({
  tickets: documentsSchema,
  count,
  totalCount: count,
});

export const messagePageSchema = z.looseObject({
  items: documentsSchema,
  hasMore: z.boolean(),
  nextBefore: z.unknown().optional(),
});

export const templateListSchema = z.union([
  documentsSchema.transform((data) => ({ data, totalCount: null as number | null })),
  z.looseObject({ totalCount: z.number(), data: documentsSchema }).transform((o) => ({ data: o.data, totalCount: o.totalCount })),
]);

/** A list of anything (activities, events, checklists, importer results). */
export const anyListSchema = z.array(z.unknown());
/** A JSON object of any shape (Stripe info, identity history, ...). */
export const anyObjectSchema = z.record(z.string(), z.unknown());
