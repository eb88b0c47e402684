/**
 * `supportsync events send|status|replay|delete-user`: the event destinations from the
 * command line. Commands that queue work also deliver it and wait (unless `serve` already
 * runs on the same data directory, which then delivers, or `--no-deliver`).
 *
 * Every option, and the input file of `send`, is checked before the queue is opened or a
 * destination is contacted: a usage error (exit 2) leaves the queue as it was and sends nothing.
 */
import type { Readable } from 'node:stream';
import { Command, Option } from 'commander';
import { DURATION_FORM, parseDuration } from '../../core/duration.ts';
import { UsageError } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import type { LoadedConfig } from '../../config/load-config.ts';
import { builtinDestinations } from '../../destinations/registry.ts';
import type { ResolvedDestination } from '../../destinations/resolve-destinations.ts';
import { planReplay, replayDeadLetters, subscriptionIds } from '../../events/dead-letters.ts';
import { ensureDataDir, openEventQueue, startEventService, type EventService } from '../../events/event-service.ts';
import { readEventStatus, type EventStatus } from '../../events/event-status.ts';
import { createEventIntake, type EventIntake } from '../../events/intake/accept-events.ts';
import { openNdjsonInput, readNdjson } from '../../events/ndjson-events.ts';
import type { Counts, EventQueue } from '../../events/queue/event-queue.ts';
import { waitForDrain, type DrainResult } from '../../events/pipeline/wait-for-drain.ts';
import { workerLockHolder } from '../../events/pipeline/worker-lock.ts';
import { createRouter, routableDestinations } from '../../events/router.ts';
import type { ConfigScope } from '../../config/load-config.ts';
import { canAsk, confirm } from '../confirm.ts';
import { cliLogger, requireConfig, type CommonOptions } from '../context.ts';
import { printJson, printTable } from '../output.ts';

/** Events commands use the destinations and the intake of a config, none of its sources. */
const EVENTS_ONLY: ConfigScope = { sources: () => false };

interface EventsOptions extends CommonOptions {
  deliver?: boolean;
  /** --wait in milliseconds, parsed (and refused) by commander before the action runs. */
  wait: number;
}

/** The queue, with the pipeline running in this process when nobody else delivers. */
interface Session {
  queue: EventQueue;
  /** Validates, routes with this config, and stores. */
  intake: EventIntake;
  dataDir: string;
  destinations: ResolvedDestination[];
  service?: EventService;
  /** pid of the `serve` that delivers instead of us. */
  holder?: number;
  close(): Promise<void>;
}

async function openSession(loaded: LoadedConfig, log: Logger, deliver: boolean): Promise<Session> {
  const destinations = loaded.destinations;
  const dataDir = ensureDataDir(loaded.config, loaded.baseDir);
  const holder = workerLockHolder(dataDir);
  if (deliver && holder === undefined && destinations.length > 0) {
    // Partial batches go at once: the command waits for them, then exits.
    const service = await startEventService({ config: loaded.config, baseDir: loaded.baseDir, log, destinations, intake: false, pipeline: { noLinger: true } });
    return { queue: service.queue, intake: service.intake, dataDir, destinations, service, close: () => service.close() };
  }
  const { queue } = openEventQueue(loaded.config, loaded.baseDir);
  const intake = createEventIntake(queue, createRouter(routableDestinations(destinations)));
  return { queue, intake, dataDir, destinations, holder, close: () => queue.close() };
}

/** `--wait <duration>`, parsed while commander reads the command line: a bad value never reaches the action. */
function waitOption(description: string): Option {
  return new Option('--wait <duration>', description)
    .argParser((value: string) => {
      const ms = parseDuration(value);
      if (ms === undefined) throw new UsageError(`--wait expects a duration, ${DURATION_FORM}; got "${value}"`);
      return ms;
    })
    .default(120_000, '2m');
}

/** `--destination` and `--mapping` of replay, checked against the config; returns nothing, throws a UsageError listing the valid names. */
function checkReplayFilter(destinations: readonly ResolvedDestination[], filter: { destination?: string; mapping?: string }): void {
  if (filter.destination !== undefined && !destinations.some((d) => d.name === filter.destination)) {
    throw new UsageError(`--destination: no destination named "${filter.destination}"; the config has ${destinations.map((d) => d.name).join(', ') || 'none'}`);
  }
  if (filter.mapping === undefined) return;
  const selected = destinations.filter((d) => filter.destination === undefined || d.name === filter.destination);
  const names = [...new Set(selected.flatMap((d) => [...d.subscriptions.map((s) => s.mapping), ...(d.definition.onDelete ? ['@delete'] : [])]))];
  if (!names.includes(filter.mapping)) {
    throw new UsageError(`--mapping: no mapping named "${filter.mapping}"${filter.destination !== undefined ? ` in destination "${filter.destination}"` : ''}; expected one of ${names.join(', ') || '(none configured)'}`);
  }
}

/** Per subscription, what changed between two counter snapshots. */
function delta(before: Counts, after: Counts): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const [scope, fields] of Object.entries(after)) {
    if (scope.startsWith('@')) continue;
    for (const name of ['received', 'filtered', 'delivered', 'retried', 'deadLettered', 'keysDropped', 'replayed', 'purged']) {
      const d = (fields[name] ?? 0) - (before[scope]?.[name] ?? 0);
      if (d) (out[scope] ??= {})[name] = d;
    }
  }
  return out;
}

interface DeliveryReport {
  mode: 'delivered' | 'queued';
  /** When queued: the serve process that delivers. */
  workerPid?: number;
  drained?: boolean;
  pending?: number;
  paused?: Record<string, string>;
  bySubscription: Record<string, Record<string, number>>;
}

async function finish(session: Session, before: Counts, opts: EventsOptions): Promise<DeliveryReport> {
  let drain: DrainResult | undefined;
  if (session.service) {
    session.service.pipeline.wake();
    drain = await waitForDrain(session.queue, { timeoutMs: opts.wait, subscriptions: new Set(subscriptionIds(session.destinations)) });
  }
  const after = await session.queue.counts();
  return {
    mode: session.service ? 'delivered' : 'queued',
    ...(session.holder !== undefined ? { workerPid: session.holder } : {}),
    ...(drain
      ? {
          drained: drain.drained,
          pending: Object.values(drain.sizes.pending).reduce((a, b) => a + b, 0),
          paused: Object.fromEntries(Object.entries(drain.paused).map(([k, v]) => [k, v.reason])),
        }
      : {}),
    bySubscription: delta(before, after),
  };
}

function printDelivery(report: DeliveryReport): void {
  if (report.mode === 'queued') {
    process.stdout.write(report.workerPid !== undefined ? `queued: supportsync serve (pid ${report.workerPid}) delivers them\n` : 'queued (not delivered: --no-deliver, or no destination configured)\n');
    return;
  }
  const rows = Object.entries(report.bySubscription).map(([id, c]) => ({ mapping: id, ...c }));
  if (rows.length) printTable(rows, ['mapping', 'received', 'filtered', 'delivered', 'retried', 'deadLettered', 'keysDropped', 'replayed', 'purged'].filter((c) => c === 'mapping' || rows.some((r) => (r as Record<string, unknown>)[c] !== undefined)));
  for (const [name, reason] of Object.entries(report.paused ?? {})) process.stdout.write(`✘ ${name} is paused: ${reason}\n`);
  if (report.drained === false) process.stdout.write(`${report.pending} still pending (scheduled retries or a paused destination); supportsync serve delivers them, or run this again\n`);
}

const failed = (report: DeliveryReport) =>
  report.mode === 'delivered' && (report.drained === false || Object.values(report.bySubscription).some((c) => (c.deadLettered ?? 0) > 0));

/** Releases the events file (never stdin, which the process owns). */
function closeInput(input: Readable): void {
  if (input !== process.stdin) input.destroy();
}

function sendCommand(): Command {
  return new Command('send')
    .description('feed Segment-spec events (NDJSON, one per line; - for stdin) through the destinations')
    .argument('<file>', 'NDJSON file, or - for stdin')
    .requiredOption('--config <file>', 'config file (YAML)')
    .option('--no-deliver', 'only queue the events (supportsync serve delivers them)')
    .addOption(waitOption('how long to wait for deliveries'))
    .option('--json', 'print the result as JSON')
    .option('--verbose', 'log every step')
    .action(async (file: string, opts: EventsOptions) => {
      const loaded = requireConfig(opts, EVENTS_ONLY);
      const input = openNdjsonInput(file);
      let session: Session;
      try {
        session = await openSession(loaded, cliLogger(opts), opts.deliver !== false);
      } catch (err) {
        closeInput(input);
        throw err;
      }
      try {
        const before = await session.queue.counts();
        let read = 0;
        let accepted = 0;
        let duplicates = 0;
        const rejected: { line: number; reason: string }[] = [];
        for await (const chunk of readNdjson(input)) {
          read += chunk.length;
          const good: { line: number; value: unknown }[] = [];
          let malformed = 0;
          for (const item of chunk) {
            if ('error' in item) {
              rejected.push({ line: item.line, reason: item.error });
              malformed++;
            } else good.push(item);
          }
          if (malformed) await session.queue.addCounts({ '@intake': { rejected: malformed } });
          const result = await session.intake.acceptEvents(good.map((g) => g.value), { receivedAtMs: Date.now() });
          accepted += result.accepted;
          duplicates += result.duplicates;
          for (const r of result.rejected) rejected.push({ line: good[r.index]!.line, reason: r.reason });
          session.service?.pipeline.wake();
        }
        const delivery = await finish(session, before, opts);
        if (opts.json) printJson({ read, accepted, duplicates, rejected, delivery });
        else {
          process.stdout.write(`read ${read} events: ${accepted} accepted, ${duplicates} duplicates, ${rejected.length} rejected\n`);
          for (const r of rejected.slice(0, 20)) process.stdout.write(`  line ${r.line}: ${r.reason}\n`);
          if (rejected.length > 20) process.stdout.write(`  ... and ${rejected.length - 20} more\n`);
          printDelivery(delivery);
        }
        process.exitCode = rejected.length > 0 || failed(delivery) ? 1 : 0;
      } finally {
        closeInput(input);
        await session.close();
      }
    });
}

function formatStatus(status: EventStatus): void {
  const out = (line = '') => process.stdout.write(`${line}\n`);
  out(`data directory: ${status.dataDir}${status.workerPid !== undefined ? ` (delivering: pid ${status.workerPid})` : ' (no process delivering now)'}`);
  const i = status.intake;
  out(`intake: ${i.accepted} events accepted, ${i.duplicates} duplicates, ${i.rejected} rejected, ${i.unauthorized} unauthorized requests, ${i.deletions} user deletions`);
  for (const d of status.destinations) {
    out();
    out(d.state === 'paused' ? `✘ ${d.name} (${d.type}): PAUSED since ${d.since}: ${d.reason}` : `✔ ${d.name} (${d.type})`);
    printTable(
      d.mappings.map((m) => ({
        mapping: m.mapping,
        action: m.action,
        received: m.received,
        filtered: m.filtered,
        delivered: m.delivered,
        retried: m.retried,
        'dead-lettered': m.deadLettered,
        'keys dropped': m.keysDropped,
        pending: m.pending,
        dead: m.dead,
      })),
    );
    for (const m of d.mappings) {
      const reasons = Object.entries(m.filteredBecause).map(([r, n]) => `${r} (${n})`);
      if (reasons.length) out(`  ${m.mapping} filtered: ${reasons.join('; ')}`);
      const keys = Object.entries(m.droppedKeys).map(([k, n]) => `${k} (${n})`);
      if (keys.length) out(`  ${m.mapping} keys dropped: ${keys.join(', ')}${m.keysDropped > Object.values(m.droppedKeys).reduce((a, b) => a + b, 0) ? ', ...' : ''}`);
      if (m.dead) out(`  ${m.mapping}: ${m.dead} dead letters; see them with: supportsync events replay --dry-run --mapping ${m.mapping}`);
    }
  }
  for (const m of status.unconfigured) out(`! ${m.id} is not configured: ${m.pending} pending, ${m.dead} dead`);
}

function statusCommand(): Command {
  return new Command('status')
    .description('counts per mapping: received, filtered, delivered, retried, dead-lettered, keys dropped; pending and dead now')
    .requiredOption('--config <file>', 'config file (YAML)')
    .option('--json', 'print the status as JSON')
    .action(async (opts: EventsOptions) => {
      const loaded = requireConfig(opts, EVENTS_ONLY);
      const session = await openSession(loaded, cliLogger(opts), false);
      try {
        const status = await readEventStatus(session.queue, session.destinations, session.dataDir, session.holder);
        if (opts.json) printJson(status);
        else formatStatus(status);
        process.exitCode = status.destinations.some((d) => d.state === 'paused') ? 1 : 0;
      } finally {
        await session.close();
      }
    });
}

function replayCommand(): Command {
  return new Command('replay')
    .description('send dead letters again, each re-mapped with its mapping as configured now')
    .requiredOption('--config <file>', 'config file (YAML)')
    .option('--destination <name>', 'only this destination')
    .option('--mapping <name>', 'only this mapping')
    .option('--limit <n>', 'at most this many', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1) throw new UsageError(`--limit expects a positive integer, got "${v}"`);
      return n;
    })
    .option('--dry-run', 'list what would be replayed, with the reasons they failed')
    .option('--no-deliver', 'only queue them again (supportsync serve delivers them)')
    .addOption(waitOption('how long to wait for deliveries'))
    .option('--json', 'print the result as JSON')
    .action(async (opts: EventsOptions & { destination?: string; mapping?: string; limit?: number; dryRun?: boolean }) => {
      const loaded = requireConfig(opts, EVENTS_ONLY);
      checkReplayFilter(loaded.destinations, opts);
      const session = await openSession(loaded, cliLogger(opts), !opts.dryRun && opts.deliver !== false);
      try {
        const before = await session.queue.counts();
        const plan = await planReplay(session.queue, session.destinations, { destination: opts.destination, mapping: opts.mapping, limit: opts.limit });
        const letters = plan.replay.map(({ deadLetter: d }) => ({ mapping: d.subscription, deadAt: new Date(d.deadAt).toISOString(), status: d.status ?? '', userId: d.userId ?? '', reason: d.reason }));
        const kept = plan.kept.map(({ deadLetter: d, why }) => ({ mapping: d.subscription, userId: d.userId ?? '', why }));
        if (opts.dryRun) {
          if (opts.json) printJson({ wouldReplay: letters, kept });
          else {
            process.stdout.write(`${letters.length} dead letters would be replayed, ${kept.length} kept\n`);
            if (letters.length) printTable(letters.map((l) => ({ ...l, reason: l.reason.length > 100 ? `${l.reason.slice(0, 97)}...` : l.reason })));
            for (const k of kept) process.stdout.write(`  kept ${k.mapping} ${k.userId}: ${k.why}\n`);
          }
          return;
        }
        const replayed = await replayDeadLetters(session.queue, plan);
        const delivery = await finish(session, before, opts);
        if (opts.json) printJson({ replayed, kept, delivery });
        else {
          process.stdout.write(`replayed ${replayed} dead letters${kept.length ? `, kept ${kept.length}` : ''}\n`);
          for (const k of kept.slice(0, 20)) process.stdout.write(`  kept ${k.mapping} ${k.userId}: ${k.why}\n`);
          printDelivery(delivery);
        }
        process.exitCode = failed(delivery) ? 1 : 0;
      } finally {
        await session.close();
      }
    });
}

function deleteUserCommand(): Command {
  return new Command('delete-user')
    .description('delete users at every destination that can (Gleap: DELETE /admin/contacts/{userId}); their queued events are dropped')
    .argument('<userId...>', 'one or more user ids')
    .requiredOption('--config <file>', 'config file (YAML)')
    .option('--no-deliver', 'only queue the deletions (supportsync serve sends them)')
    .addOption(waitOption('how long to wait'))
    .option('--json', 'print the result as JSON')
    .option('-y, --yes', 'do not ask for confirmation (it is asked only in a terminal)')
    .action(async (userIds: string[], opts: EventsOptions & { yes?: boolean }) => {
      const loaded = requireConfig(opts, EVENTS_ONLY);
      if (userIds.some((id) => id.trim() === '')) throw new UsageError('delete-user: a user id cannot be empty; expected one or more non-empty user ids');
      const deleters = loaded.destinations.filter((d) => d.definition.onDelete);
      if (deleters.length === 0) {
        throw new UsageError(`delete-user: no configured destination can delete users (the config has ${loaded.destinations.map((d) => `${d.name} (${d.type})`).join(', ') || 'no destination'}); expected a destination of a type that can: ${Object.keys(builtinDestinations).filter((t) => builtinDestinations[t]!.onDelete).join(', ')}`);
      }
      if (!opts.yes && canAsk()) {
        const who = userIds.length <= 3 ? userIds.join(', ') : `${userIds.slice(0, 3).join(', ')} and ${userIds.length - 3} more`;
        const where = deleters.map((d) => `${d.name} (${d.type})`).join(', ');
        if (!(await confirm(`Delete ${userIds.length} user(s) (${who}) at ${where}? This cannot be undone.`))) {
          process.stderr.write('cancelled: nothing was deleted or queued\n');
          process.exitCode = 1;
          return;
        }
      }
      const session = await openSession(loaded, cliLogger(opts), opts.deliver !== false);
      try {
        const before = await session.queue.counts();
        const queued = await session.intake.acceptDeletions(userIds);
        const delivery = await finish(session, before, opts);
        if (opts.json) printJson({ queued, delivery });
        else {
          process.stdout.write(`queued ${queued} user deletion(s)\n`);
          printDelivery(delivery);
        }
        process.exitCode = failed(delivery) ? 1 : 0;
      } finally {
        await session.close();
      }
    });
}

export function eventsCommand(): Command {
  const events = new Command('events').description('the event destinations: send events, see their status, replay dead letters, delete users');
  // addCommand does not pass settings down: each subcommand throws instead of exiting, like its parent.
  for (const sub of [sendCommand(), statusCommand(), replayCommand(), deleteUserCommand()]) events.addCommand(sub.exitOverride().showHelpAfterError('(run with --help for usage)'));
  return events;
}
