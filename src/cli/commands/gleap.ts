/**
 * `supportsync gleap <resource> <operation>`: the typed API client from the command line.
 * Operations are declared as data (resource, name, arguments, how to run, whether to ask
 * before doing it); one builder turns them into commands. Every command takes --json;
 * lists print aligned tables, documents print as key/value lines; deleting and
 * unsubscribing ask for confirmation on a terminal (--yes skips, required otherwise).
 */
import { readFileSync } from 'node:fs';
import { createWriteStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Command } from 'commander';
import { SupportSyncError, UsageError } from '../../core/errors.ts';
import type { GleapDocument } from '../../gleap/client/documents.ts';
import { parseFilter, type ListOptions } from '../../gleap/client/list-query.ts';
import type { GleapApiClient } from '../../gleap/gleap-api-client.ts';
import { openApiClient } from '../../gleap/statistics/open-statistics.ts';
import { canAsk, confirm } from '../confirm.ts';
import { cliLogger } from '../context.ts';
import { formatTable, printJson } from '../output.ts';

interface GleapOptions {
  config?: string;
  source?: string;
  json?: boolean;
  verbose?: boolean;
  yes?: boolean;
  data?: string;
  where?: string[];
  sort?: string;
  limit?: string;
  skip?: string;
  all?: boolean;
  out?: string;
  [key: string]: unknown;
}

type Output =
  | { kind: 'docs'; docs: GleapDocument[]; columns: readonly string[]; total?: number | null }
  | { kind: 'doc'; doc: unknown }
  | { kind: 'csv'; stream: Readable }
  | { kind: 'done'; message: string; value?: unknown };

interface Operation {
  name: string;
  description: string;
  args?: readonly string[];
  /** Extra options: [flags, description]. */
  options?: readonly (readonly [string, string])[];
  /** Takes --where/--sort/--limit/--skip. */
  listing?: boolean;
  /** Takes --data JSON|@file|- . */
  data?: 'required' | 'optional';
  /** The question to confirm before running. */
  confirm?: (args: string[], opts: GleapOptions) => string;
  run: (client: GleapApiClient, args: string[], opts: GleapOptions) => Promise<Output>;
}

const COLUMNS = {
  sessions: ['id', 'userId', 'name', 'email', 'companyName', 'plan', 'lastActivity'],
  templates: ['id', 'title', 'isPublic', 'updatedAt'],
  tickets: ['id', 'bugId', 'type', 'status', 'priority', 'title', 'createdAt'],
  messages: ['id', 'ticket', 'type', 'user', 'createdAt', 'comment'],
  teams: ['id', 'name', 'assignmentMethod', 'members'],
  agents: ['id', 'firstName', 'lastName', 'email', 'role'],
} as const;

function int(value: string | undefined, option: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`${option}: "${value}" is not a whole number >= ${min}`);
  return n;
}

function listOptions(opts: GleapOptions): ListOptions {
  return {
    where: (opts.where ?? []).map(parseFilter),
    sort: opts.sort,
    limit: int(opts.limit, '--limit', 1),
    skip: int(opts.skip, '--skip', 0),
  };
}

/** `--data '{"name":"Ann"}'`, `--data @contact.json` or `--data -` (stdin). */
function readData(opts: GleapOptions): unknown {
  const text = opts.data;
  if (text === undefined) throw new UsageError('--data is required: a JSON document, @file.json, or - for stdin');
  let raw = text;
  try {
    if (text === '-') raw = readFileSync(0, 'utf8');
    else if (text.startsWith('@')) raw = readFileSync(text.slice(1), 'utf8');
  } catch (err) {
    throw new UsageError(`--data: cannot read ${text.slice(1) || 'stdin'}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  try {
    return JSON.parse(raw);
  } catch (err) {
    throw new UsageError(`--data: not valid JSON (${(err as Error).message})`);
  }
}

function dataObject(opts: GleapOptions): Record<string, unknown> {
  const data = readData(opts);
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw new UsageError('--data: expected a JSON object');
  return data as Record<string, unknown>;
}

async function collect(gen: AsyncGenerator<GleapDocument>): Promise<GleapDocument[]> {
  const out: GleapDocument[] = [];
  for await (const d of gen) out.push(d);
  return out;
}

const docs = (resource: keyof typeof COLUMNS, list: GleapDocument[], total?: number | null): Output => ({ kind: 'docs', docs: list, columns: COLUMNS[resource], total });
const doc = (value: unknown): Output => ({ kind: 'doc', doc: value });

const SESSIONS: Operation[] = [
  {
    name: 'list', description: 'list sessions (contacts)', listing: true, options: [['--all', 'every page, not just the first']],
    run: async (c, _a, o) => {
      const { limit: _l, skip: _s, ...filters } = listOptions(o);
      return docs('sessions', o.all ? await collect(c.sessions.listAll(filters)) : await c.sessions.list(listOptions(o)));
    },
  },
  { name: 'get', description: 'one session', args: ['<id>'], run: async (c, [id]) => doc(await c.sessions.get(id!)) },
  { name: 'by-user-id', description: 'the session of a user id', args: ['<userId>'], run: async (c, [id]) => doc(await c.sessions.byUserId(id!)) },
  { name: 'search', description: 'sessions whose name, e-mail, user id or company contains a term', args: ['<term>'], listing: true, run: async (c, [t], o) => docs('sessions', await c.sessions.search(t!, listOptions(o))) },
  {
    name: 'export', description: 'sessions as CSV (to stdout, or --out FILE)', listing: true, options: [['--out <file>', 'write the CSV to a file']],
    run: async (c, _a, o) => ({ kind: 'csv', stream: await c.sessions.exportCsv({ where: listOptions(o).where, sort: o.sort }) }),
  },
  { name: 'create', description: 'create a session from --data (SessionDto)', data: 'required', run: async (c, _a, o) => doc(await c.sessions.create(dataObject(o))) },
  { name: 'update', description: 'update fields of a session from --data', args: ['<id>'], data: 'required', run: async (c, [id], o) => doc(await c.sessions.update(id!, dataObject(o))) },
  {
    name: 'delete', description: 'delete a session', args: ['<id>'], confirm: ([id]) => `Delete session ${id}? This cannot be undone.`,
    run: async (c, [id]) => (await c.sessions.delete(id!), { kind: 'done', message: `deleted session ${id}`, value: { deleted: id } }),
  },
  { name: 'resubscribe', description: 'resubscribe a session to messages', args: ['<id>'], run: async (c, [id]) => ({ kind: 'done', message: `resubscribed ${id}`, value: { resubscribed: await c.sessions.resubscribe(id!) } }) },
  {
    name: 'unsubscribe', description: 'unsubscribe contacts by --user-id / --email (repeatable)',
    options: [['--user-id <id...>', 'user ids'], ['--email <address...>', 'e-mail addresses'], ['--reason <text>', 'why']],
    confirm: (_a, o) => `Unsubscribe ${[...((o.userId as string[]) ?? []), ...((o.email as string[]) ?? [])].join(', ')} from all messages?`,
    run: async (c, _a, o) => {
      const sessions = [...((o.userId as string[]) ?? []).map((userId) => ({ userId })), ...((o.email as string[]) ?? []).map((email) => ({ email }))];
      if (sessions.length === 0) throw new UsageError('give at least one --user-id or --email');
      const res = await c.sessions.unsubscribe({ sessions, reason: o.reason as string | undefined });
      return { kind: 'done', message: `unsubscribed: ${JSON.stringify(res)}`, value: res };
    },
  },
  { name: 'warmup', description: 'pre-warm Gleap\'s session caches', run: async (c) => ({ kind: 'done', message: 'warmup requested', value: await c.sessions.warmup() }) },
  { name: 'activities', description: 'activities of a session', args: ['<id>'], run: async (c, [id]) => doc(await c.sessions.activities(id!)) },
  { name: 'events', description: 'tracked events of a session', args: ['<id>'], run: async (c, [id]) => doc(await c.sessions.events(id!)) },
  { name: 'checklists', description: 'checklists of a session', args: ['<id>'], run: async (c, [id]) => doc(await c.sessions.checklists(id!)) },
  { name: 'identity-history', description: 'changes of e-mail, name and user id', args: ['<id>'], run: async (c, [id]) => doc(await c.sessions.identityHistory(id!)) },
  { name: 'stripe', description: 'Stripe information of a session', args: ['<id>'], run: async (c, [id]) => doc(await c.sessions.stripe(id!)) },
  { name: 'chargebee', description: 'Chargebee information of a session', args: ['<id>'], run: async (c, [id]) => doc(await c.sessions.chargebee(id!)) },
  {
    name: 'import', description: 'create or update contacts from --data (a JSON array)', data: 'required',
    run: async (c, _a, o) => {
      const data = readData(o);
      if (!Array.isArray(data)) throw new UsageError('--data: expected a JSON array of contacts');
      return { kind: 'done', message: 'imported', value: { ids: await c.sessions.import(data as Record<string, unknown>[]) } };
    },
  },
  { name: 'import-intercom', description: 'import from Intercom; --data {"endpoint","apiKey"}', data: 'required', run: async (c, _a, o) => doc(await c.sessions.importIntercom(dataObject(o) as never)) },
  { name: 'import-hubspot', description: 'import from HubSpot; --data {"apiKey"}', data: 'required', run: async (c, _a, o) => doc(await c.sessions.importHubspot(dataObject(o) as never)) },
  { name: 'import-zendesk', description: 'import from Zendesk; --data {"apiToken","email","subdomain"}', data: 'required', run: async (c, _a, o) => doc(await c.sessions.importZendesk(dataObject(o) as never)) },
];

const TEMPLATES: Operation[] = [
  {
    name: 'list', description: 'list message templates',
    options: [['--search <term>', 'in title or text'], ['--visibility <v>', 'all, public or private'], ['--with-count', 'also the total count'], ['--limit <n>', 'page size'], ['--skip <n>', 'skip']],
    run: async (c, _a, o) => {
      const visibility = o.visibility as string | undefined;
      if (visibility !== undefined && !['all', 'public', 'private'].includes(visibility)) throw new UsageError(`--visibility: "${visibility}"; expected all, public or private`);
      const res = await c.templates.list({
        searchTerm: o.search as string | undefined, visibility: visibility as 'all' | undefined, withCount: o.withCount ? true : undefined,
        limit: int(o.limit, '--limit', 1), skip: int(o.skip, '--skip', 0),
      });
      return docs('templates', res.templates, res.totalCount);
    },
  },
  { name: 'get', description: 'one template', args: ['<id>'], run: async (c, [id]) => doc(await c.templates.get(id!)) },
  { name: 'create', description: 'create from --data (MessageTemplateDTO: title, content, lexorank)', data: 'required', run: async (c, _a, o) => doc(await c.templates.create(dataObject(o) as never)) },
  { name: 'update', description: 'replace a template with --data', args: ['<id>'], data: 'required', run: async (c, [id], o) => doc(await c.templates.update(id!, dataObject(o) as never)) },
  {
    name: 'delete', description: 'delete a template', args: ['<id>'], confirm: ([id]) => `Delete message template ${id}?`,
    run: async (c, [id]) => ({ kind: 'done', message: `deleted template ${id}`, value: (await c.templates.delete(id!)) ?? { deleted: id } }),
  },
];

const TICKETS: Operation[] = [
  {
    name: 'list', description: 'list tickets; e.g. --where status=OPEN --where "updatedAt>=2025-09-01" --sort -createdAt', listing: true,
    options: [['--type <types>', 'BUG,FEATURE_REQUEST,...'], ['--status <statuses>', 'OPEN,INPROGRESS,...'], ['--priority <p>', 'LOW,MEDIUM,HIGH'], ['--all', 'every page']],
    run: async (c, _a, o) => {
      const filters = { ...listOptions(o), type: o.type as string | undefined, status: o.status as string | undefined, priority: o.priority as string | undefined };
      if (o.all) {
        const { limit: _l, skip: _s, ...rest } = filters;
        return docs('tickets', await collect(c.tickets.listAll(rest)));
      }
      const page = await c.tickets.list(filters);
      return docs('tickets', page.tickets, page.totalCount);
    },
  },
  { name: 'get', description: 'one ticket', args: ['<id>'], run: async (c, [id]) => doc(await c.tickets.get(id!)) },
];

const MESSAGES: Operation[] = [
  {
    name: 'list', description: 'list messages; e.g. --ticket ID --type COMMENT --where "createdAt>=2025-09-01"', listing: true,
    options: [['--ticket <id>', 'messages of one ticket'], ['--type <types>', 'COMMENT,NOTE'], ['--all', 'every page']],
    run: async (c, _a, o) => {
      const filters = { ...listOptions(o), ticket: o.ticket as string | undefined, type: o.type as string | undefined };
      const { limit: _l, skip: _s, ...rest } = filters;
      return docs('messages', o.all ? await collect(c.messages.listAll(rest)) : await c.messages.list(filters));
    },
  },
  { name: 'get', description: 'one message', args: ['<id>'], run: async (c, [id]) => doc(await c.messages.get(id!)) },
];

const TEAMS: Operation[] = [
  { name: 'list', description: 'list teams', run: async (c) => docs('teams', await c.teams.list()) },
  { name: 'get', description: 'one team', args: ['<id>'], run: async (c, [id]) => doc(await c.teams.get(id!)) },
];

const AGENTS: Operation[] = [{ name: 'list', description: 'list agents (the project\'s users)', run: async (c) => docs('agents', await c.agents.list()) }];

const RESOURCES: readonly { name: string; description: string; operations: Operation[] }[] = [
  { name: 'sessions', description: 'contacts: list, get, search, export, create, update, delete, import, unsubscribe, ...', operations: SESSIONS },
  { name: 'templates', description: 'message templates: list, get, create, update, delete', operations: TEMPLATES },
  { name: 'tickets', description: 'tickets: list (with filters), get', operations: TICKETS },
  { name: 'messages', description: 'messages: list (with filters), get', operations: MESSAGES },
  { name: 'teams', description: 'teams: list, get', operations: TEAMS },
  { name: 'agents', description: 'agents: list', operations: AGENTS },
];

/** Asks on the terminal; without one, --yes is required. */
async function confirmChange(question: string, opts: GleapOptions): Promise<void> {
  if (opts.yes) return;
  if (!canAsk()) {
    throw new UsageError(`${question.replace(/\?.*$/, '')}: refusing without confirmation; pass --yes (not running in a terminal)`);
  }
  if (!(await confirm(question))) throw new SupportSyncError('cancelled: nothing was changed', { code: 'CANCELLED', phase: 'usage' });
}

const cellText = (v: unknown): string => {
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return v.length > 3 ? `[${v.length} items]` : JSON.stringify(v);
  const text = typeof v === 'object' ? JSON.stringify(v) : String(v);
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
};

async function print(output: Output, opts: GleapOptions): Promise<void> {
  switch (output.kind) {
    case 'csv':
      if (opts.out) await pipeline(output.stream, createWriteStream(opts.out));
      else await pipeline(output.stream, process.stdout, { end: false });
      if (opts.out && !opts.json) process.stderr.write(`wrote ${opts.out}\n`);
      return;
    case 'docs':
      if (opts.json) return printJson(output.total === undefined || output.total === null ? output.docs : { totalCount: output.total, data: output.docs });
      process.stdout.write(
        output.docs.length === 0
          ? '(none)\n'
          : `${formatTable(output.docs.map((d) => Object.fromEntries(output.columns.map((c) => [c, cellText(d[c])]))), [...output.columns])}\n` +
              `(${output.docs.length}${output.total ? ` of ${output.total}` : ''})\n`,
      );
      return;
    case 'doc':
      if (opts.json || typeof output.doc !== 'object' || output.doc === null || Array.isArray(output.doc)) return printJson(output.doc);
      process.stdout.write(Object.entries(output.doc).map(([k, v]) => `${k.padEnd(24)} ${cellText(v)}`).join('\n') + '\n');
      return;
    case 'done':
      if (opts.json) return printJson(output.value ?? { ok: true });
      process.stdout.write(`${output.message}\n`);
  }
}

function operationCommand(op: Operation): Command {
  const cmd = new Command(op.name).description(op.description);
  for (const arg of op.args ?? []) cmd.argument(arg);
  cmd
    .option('--config <file>', 'config file with a gleap source (else GLEAP_API_KEY, GLEAP_PROJECT_ID, GLEAP_BASE_URL)')
    .option('--source <name>', 'the gleap source to use when the config has several')
    .option('--json', 'one JSON document on stdout')
    .option('--verbose', 'log HTTP requests to stderr');
  if (op.listing) {
    cmd
      .option('--where <filter...>', 'FIELD OP VALUE, OP one of = >= > <= < (comma lists mean any of)')
      .option('--sort <field>', 'field, or -field for descending');
    if (op.name !== 'export') cmd.option('--limit <n>', 'page size').option('--skip <n>', 'skip this many');
  }
  for (const [flags, description] of op.options ?? []) if (!cmd.options.some((o) => o.flags === flags)) cmd.option(flags, description);
  if (op.data) cmd.option('--data <json>', 'a JSON document, @file.json, or - for stdin');
  if (op.confirm) cmd.option('--yes', 'do not ask for confirmation');
  cmd.action(async (...params: unknown[]) => {
    const args = params.slice(0, (op.args ?? []).length) as string[];
    const opts = params[(op.args ?? []).length] as GleapOptions;
    if (op.data === 'required' && opts.data === undefined) throw new UsageError('--data is required: a JSON document, @file.json, or - for stdin');
    if (op.listing) listOptions(opts); // bad filters are usage errors, before any request
    const { client } = openApiClient({ config: opts.config, source: opts.source }, cliLogger(opts));
    if (op.confirm) await confirmChange(op.confirm(args, opts), opts);
    await print(await op.run(client, args, opts), opts);
  });
  return cmd.exitOverride();
}

export function gleapCommand(): Command {
  const gleap = new Command('gleap').description('Gleap\'s REST API: sessions, message templates, tickets, messages, teams, agents');
  for (const resource of RESOURCES) {
    const group = new Command(resource.name).description(resource.description);
    for (const op of resource.operations) group.addCommand(operationCommand(op));
    gleap.addCommand(group.exitOverride());
  }
  return gleap;
}
