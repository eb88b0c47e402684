/**
 * The size and identity of the emulated organization, all derived from `seed` and
 * `scale`. One unit of scale is about 30 conversation items and 4 new customers per hour
 * of exported window (about 10,000 items over the 14 retained days, whatever the schedule).
 */
import { IdKind, gladlyId } from './gladly-id.ts';

export interface DataModel {
  seed: number;
  scale: number;
  /** Conversation items per hour of window, before per-job variation. */
  itemsPerHour: number;
  newCustomersPerHour: number;
  /** Customers that exist before the oldest retained job. */
  baseCustomers: number;
  agentPool: number;
  topicPool: number;
  /** Topics below this index are roots; later ones may have a `parentId`. */
  rootTopics: number;
  customerId(index: number): string;
  agentId(index: number): string;
  topicId(index: number): string;
}

export function createDataModel(seed: number, scale: number): DataModel {
  const s = seed >>> 0;
  const memo = (kind: number) => {
    const cache = new Map<number, string>();
    return (index: number): string => {
      let id = cache.get(index);
      if (id === undefined) {
        id = gladlyId(s, kind, index);
        if (cache.size < 200_000) cache.set(index, id);
      }
      return id;
    };
  };
  const topicPool = Math.min(300, Math.max(6, Math.round(16 * Math.sqrt(scale))));
  return {
    seed: s,
    scale,
    itemsPerHour: 30 * scale,
    newCustomersPerHour: 4 * scale,
    baseCustomers: Math.max(5, Math.round(100 * scale)),
    agentPool: Math.min(400, Math.max(3, Math.round(12 * Math.sqrt(scale)))),
    topicPool,
    rootTopics: Math.max(2, Math.round(topicPool / 3)),
    customerId: memo(IdKind.customer),
    agentId: memo(IdKind.agent),
    topicId: memo(IdKind.topic),
  };
}
