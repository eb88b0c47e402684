/**
 * The e-mail statistics endpoints. The emulator knows which agent replies went out by
 * e-mail (tickets of the email channel, sent to the channel) and their delivery status;
 * it has no mail-client or bounce data, so those lists are empty.
 */
import { TICKET_CHANNELS } from '../data/vocabulary.ts';
import { ROLE_AGENT } from '../resources/messages.ts';
import type { GleapStore } from '../store/gleap-store.ts';

const EMAIL = TICKET_CHANNELS.indexOf('email');
const STATUS_DELIVERED = 1;
const STATUS_READ = 2;

export function emailOverview(store: GleapStore, range: { start: Date; end: Date }) {
  const m = store.messages;
  const mc = m.cols;
  const tc = store.tickets.cols;
  let sent = 0;
  let delivered = 0;
  let opened = 0;
  const to = range.end.getTime();
  for (let i = m.lowerBoundCreated(range.start.getTime(), false); i < m.size && m.createdAt[i]! < to; i++) {
    const ticket = mc.ticket[i]!;
    if (!m.alive[i] || mc.role[i] !== ROLE_AGENT || !mc.sendToChannel[i] || ticket < 0 || tc.channel[ticket] !== EMAIL) continue;
    sent++;
    if (mc.status[i] === STATUS_DELIVERED || mc.status[i] === STATUS_READ) delivered++;
    if (mc.status[i] === STATUS_READ) opened++;
  }
  const rate = (n: number) => (sent ? Math.round((n / sent) * 10_000) / 100 : null);
  return { title: 'E-mail overview', sent, delivered, opened, bounced: 0, deliveryRate: rate(delivered), openRate: rate(opened) };
}

export const emailClientUsage = () => ({ title: 'E-mail clients', data: [] as unknown[], totalCount: 0 });
export const emailClientBounces = () => ({ title: 'E-mail bounces', data: [] as unknown[], totalCount: 0 });
