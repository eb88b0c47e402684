/**
 * Gladly ids are 16 random bytes in unpadded base64url (22 characters, e.g.
 * `OOrlNMXeS72gs_WEX2TtMg`). Ours are derived from the seed and a key, so the same
 * customer keeps the same id in every job and across restarts with the same seed.
 */
import { hash } from './prng.ts';

/** Key spaces, so that customer 7 and agent 7 get different ids. */
export const IdKind = {
  schedule: 1,
  job: 2,
  customer: 3,
  agent: 4,
  topic: 5,
  item: 6,
  conversation: 7,
  session: 8,
  attachment: 9,
  rule: 10,
} as const;

const bytes = Buffer.alloc(16);

export function gladlyId(seed: number, kind: number, a: number, b = 0): string {
  for (let lane = 0; lane < 4; lane++) bytes.writeUInt32BE(hash(seed, kind * 4 + lane, a, b, 0x51d), lane * 4);
  return bytes.toString('base64url');
}
