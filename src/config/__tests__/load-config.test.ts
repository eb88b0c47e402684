import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { z } from 'zod';
import { ConfigError } from '../../core/errors.ts';
import { redact } from '../../core/redact.ts';
import { defineSource } from '../../sources/source.ts';
import { parseConfigText, selectSources, sourceIndex, sourcesScope, type SourceRegistry } from '../load-config.ts';

const fake = defineSource({
  type: 'fake',
  title: 'Fake',
  configSchema: z.strictObject({
    apiKey: z.string().min(1),
    startDate: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/, 'expected YYYY-MM-DDTHH:mm:ssZ, e.g. 2024-01-01T00:00:00Z'),
  }),
  secretKeys: ['apiKey'],
  exampleConfig: 'apiKey: x\n',
  check: async () => ({ ok: true, details: [] }),
  discover: () => [
    { name: 'tickets', columns: { id: 'string' }, primaryKey: ['id'], syncTypes: ['INCREMENTAL', 'FULL_TABLE'], defaultSyncType: 'INCREMENTAL' },
    { name: 'teams', columns: { id: 'string' }, primaryKey: ['id'], syncTypes: ['FULL_TABLE'], defaultSyncType: 'FULL_TABLE' },
  ],
  read: async function* () {},
});
const registry: SourceRegistry = { fake };

const base = (extra = '', sourceExtra = '', cfg = 'apiKey: ${KEY}\n      startDate: 2024-01-01T00:00:00Z') => `
warehouse: { type: duckdb, path: ./w.duckdb }
${extra}
sources:
  - name: one
    type: fake
    config:
      ${cfg}
${sourceExtra}
`;

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected ConfigError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected a ConfigError');
}

describe('config loading', () => {
  test('interpolates ${ENV} and applies defaults', () => {
    const loaded = parseConfigText(base(), registry, { KEY: 'k-123456' });
    assert.deepEqual(loaded.sources[0]!.config, { apiKey: 'k-123456', startDate: '2024-01-01T00:00:00Z' });
    assert.equal(loaded.sources[0]!.entry.layer, 'raw');
    assert.equal(loaded.config.warehouse.type, 'duckdb');
  });

  test('registers secret config values for redaction', () => {
    parseConfigText(base(), registry, { KEY: 'sekret-value-42' });
    assert.equal(redact('token sekret-value-42 leaked'), 'token *** leaked');
  });

  test('a missing environment variable names the key and the variable', () => {
    const err = configError(() => parseConfigText(base(), registry, {}));
    assert.equal(err.key, 'sources[0].config.apiKey');
    assert.match(err.message, /KEY is not set/);
  });

  test('${VAR:-default} falls back to the default', () => {
    const loaded = parseConfigText(base('', '', 'apiKey: ${NOPE:-fallback-key}\n      startDate: 2024-01-01T00:00:00Z'), registry, {});
    assert.equal((loaded.sources[0]!.config as { apiKey: string }).apiKey, 'fallback-key');
  });

  test('an unknown top-level key is rejected by name', () => {
    const err = configError(() => parseConfigText(base('colour: blue'), registry, { KEY: 'k' }));
    assert.equal(err.key, 'colour');
    assert.match(err.message, /unknown key/);
  });

  test('an unknown key inside a source is rejected by name', () => {
    const err = configError(() => parseConfigText(base('', '    shedule: "0 * * * *"'), registry, { KEY: 'k' }));
    assert.equal(err.key, 'sources[0].shedule');
  });

  test('a bad cron expression names the key and shows the expected form', () => {
    const err = configError(() => parseConfigText(base('', '    schedule: "every hour"'), registry, { KEY: 'k' }));
    assert.equal(err.key, 'sources[0].schedule');
    assert.match(err.message, /cron expression/);
  });

  test('a bad fullSyncSchedule is rejected too', () => {
    const err = configError(() => parseConfigText(base('', '    fullSyncSchedule: "61 * * * *"'), registry, { KEY: 'k' }));
    assert.equal(err.key, 'sources[0].fullSyncSchedule');
  });

  test('a bad retention names the key and the form', () => {
    const err = configError(() => parseConfigText(base('', '    retention: 30 days'), registry, { KEY: 'k' }));
    assert.equal(err.key, 'sources[0].retention');
    assert.match(err.message, /30d/);
  });

  test('a bad start date is rejected by the source schema with an example', () => {
    const err = configError(() => parseConfigText(base('', '', 'apiKey: k\n      startDate: 2024-01-01'), registry, {}));
    assert.equal(err.key, 'sources[0].config.startDate');
    assert.match(err.message, /2024-01-01T00:00:00Z/);
  });

  test('a description over 140 characters is rejected', () => {
    const err = configError(() => parseConfigText(base('', `    description: ${'x'.repeat(141)}`), registry, { KEY: 'k' }));
    assert.equal(err.key, 'sources[0].description');
  });

  test('an unknown source type lists the known ones', () => {
    const err = configError(() => parseConfigText(base().replace('type: fake', 'type: zendesk'), registry, { KEY: 'k' }));
    assert.equal(err.key, 'sources[0].type');
    assert.match(err.message, /expected one of fake/);
  });

  test('bad layer names are refused before anything touches the warehouse', () => {
    const err = configError(() => parseConfigText(base('', '    layer: "raw; drop table x"'), registry, { KEY: 'k' }));
    assert.equal(err.key, 'sources[0].layer');
  });

  test('invalid YAML says where', () => {
    const err = configError(() => parseConfigText('sources: [\n  - a: b', registry, {}, '/tmp', 'bad.yaml'));
    assert.equal(err.key, 'bad.yaml', 'the file is named');
    assert.match(err.message, /not valid YAML at line 2, column 3: [^:]+$/, 'the position once, the reason, no dangling code frame');
  });

  test('${VAR} works in flow style too, as the docs write it, and a value never changes the structure', () => {
    const text = `warehouse: { type: duckdb, path: ./w.duckdb }
sources:
  - name: one
    type: fake
    config: { apiKey: \${KEY}, startDate: 2024-01-01T00:00:00Z }
    description: "key \${KEY}"
intake: { writeKeys: [\${WRITE_KEY}, second] }
`;
    const key = 'a#b: "c\' {d}';
    const loaded = parseConfigText(text, registry, { KEY: key, WRITE_KEY: 'w-1' });
    assert.equal((loaded.sources[0]!.config as { apiKey: string }).apiKey, key, 'a flow-style reference takes the whole value, special characters and all');
    assert.equal(loaded.sources[0]!.entry.description, `key ${key}`, 'a reference inside a quoted string is interpolated in place');
    assert.deepEqual(loaded.config.intake?.writeKeys, ['w-1', 'second'], 'a reference in a flow list is one item');
  });

  test('an empty config is refused, naming the file', () => {
    const err = configError(() => parseConfigText('# nothing yet\n', registry, {}, '/tmp', 'empty.yaml'));
    assert.equal(err.key, 'empty.yaml');
    assert.match(err.message, /the config is empty; expected `warehouse:` and `sources:`/);
  });

  test('a config without sources loads (destinations only) but has nothing to select', () => {
    const loaded = parseConfigText('warehouse: { type: duckdb }\nsources: []\n', registry, {});
    const err = configError(() => selectSources(loaded));
    assert.equal(err.key, 'sources');
    assert.match(err.message, /the config has no sources/);
  });

  test('stream settings are checked at load for every source: unknown stream, unsupported sync type, shared table', () => {
    const unknown = configError(() => parseConfigText(base('', '    streams: { tickts: {} }'), registry, { KEY: 'k' }));
    assert.equal(unknown.key, 'sources[0].streams');
    assert.match(unknown.message, /did you mean tickets\?/);
    const syncType = configError(() => parseConfigText(base('', '    streams: { teams: { syncType: INCREMENTAL } }'), registry, { KEY: 'k' }));
    assert.equal(syncType.key, 'sources[0].streams.teams.syncType');
    const shared = configError(() => parseConfigText(base('', '    streams: { tickets: { table: t }, teams: { table: t } }'), registry, { KEY: 'k' }));
    assert.equal(shared.key, 'sources[0].streams.teams.table');
    assert.match(shared.message, /would both load into raw\.t/);
  });

  test('messages name the expected form, not the parser\'s types', () => {
    const lower = configError(() => parseConfigText(base('', '    streams: { tickets: { syncType: incremental } }'), registry, { KEY: 'k' }));
    assert.equal(lower.key, 'sources[0].streams.tickets.syncType', 'the bad entry inside the map, not "expected array"');
    assert.match(lower.message, /expected INCREMENTAL or FULL_TABLE/);
    const empty = configError(() => parseConfigText(base('', '    streams:'), registry, { KEY: 'k' }));
    assert.match(empty.message, /expected a map of stream names/);
    const missing = configError(() => parseConfigText(base('', '', 'startDate: 2024-01-01T00:00:00Z'), registry, {}));
    assert.equal(missing.key, 'sources[0].config.apiKey');
    assert.match(missing.message, /missing: this setting is required/);
    const retention = configError(() => parseConfigText(base('', '    retention: 30'), registry, { KEY: 'k' }));
    assert.match(retention.message, /expected a whole number followed by s, m, h, d or w \(e\.g\. 30d/);
    const warehouse = configError(() => parseConfigText(base().replace('type: duckdb', 'type: duckbd'), registry, { KEY: 'k' }));
    assert.equal(warehouse.key, 'warehouse.type');
    assert.match(warehouse.message, /expected type: duckdb/);
  });

  test('selectSources rejects an unknown --source by listing the names', () => {
    const loaded = parseConfigText(base(), registry, { KEY: 'k' });
    const err = configError(() => selectSources(loaded, 'two'));
    assert.equal(err.key, '--source');
    assert.match(err.message, /no source named "two"; the config has one$/, 'no hint when no name is close');
    const typo = configError(() => selectSources(loaded, 'onne'));
    assert.match(typo.message, /no source named "onne"; did you mean one\? the config has one/);
  });

  describe('scope: a command resolves only the parts it uses', () => {
    const twoSourcesAndEvents = `
warehouse: { type: duckdb, path: ./w.duckdb }
sources:
  - name: one
    type: fake
    config: { apiKey: \${ONE_KEY}, startDate: 2024-01-01T00:00:00Z }
  - name: two
    type: fake
    config: { apiKey: \${TWO_KEY}, startDate: not-a-date }
destinations:
  - name: out
    type: gleap
    config: { apiToken: \${OUT_TOKEN} }
intake:
  writeKeys: [\${WRITE_KEY}]
`;

    test('--source one needs neither the other source\'s variables nor the events\' ones', () => {
      const loaded = parseConfigText(twoSourcesAndEvents, registry, { ONE_KEY: 'k-one' }, undefined, undefined, sourcesScope('one'));
      assert.deepEqual(loaded.sources.map((s) => s.entry.name), ['one']);
      assert.equal((loaded.sources[0]!.config as { apiKey: string }).apiKey, 'k-one');
      assert.deepEqual(loaded.destinations, [], 'destinations are not resolved for a sources-only command');
      assert.deepEqual(loaded.config.sources[1]!.config, { apiKey: '${TWO_KEY}', startDate: 'not-a-date' }, 'the unused block is kept as written');
      assert.deepEqual(selectSources(loaded, 'one').map((s) => s.entry.name), ['one']);
      assert.equal(sourceIndex(loaded, loaded.sources[0]!), 0);
    });

    test('the source in use is still validated in full, and its position in the file is kept', () => {
      const err = configError(() => parseConfigText(twoSourcesAndEvents, registry, { TWO_KEY: 'k-two' }, undefined, undefined, sourcesScope('two')));
      assert.equal(err.key, 'sources[1].config.startDate');
      const missing = configError(() => parseConfigText(twoSourcesAndEvents, registry, {}, undefined, undefined, sourcesScope('one')));
      assert.equal(missing.key, 'sources[0].config.apiKey');
      assert.match(missing.message, /environment variable ONE_KEY is not set/, 'only the variable in use is asked for');
    });

    test('unused parts are still checked for their shape, and an unknown --source lists every source', () => {
      const typo = configError(() => parseConfigText(twoSourcesAndEvents.replace('type: fake\n    config: { apiKey: \${TWO_KEY}', 'type: fake\n    schedule: every day\n    config: { apiKey: \${TWO_KEY}'), registry, { ONE_KEY: 'k' }, undefined, undefined, sourcesScope('one')));
      assert.equal(typo.key, 'sources[1].schedule');
      const badIntake = configError(() => parseConfigText(twoSourcesAndEvents.replace('intake:', 'intake:\n  port: eighty'), registry, { ONE_KEY: 'k' }, undefined, undefined, sourcesScope('one')));
      assert.equal(badIntake.key, 'intake.port');
      const loaded = parseConfigText(twoSourcesAndEvents, registry, { ONE_KEY: 'k' }, undefined, undefined, sourcesScope('one'));
      const unknown = configError(() => selectSources(loaded, 'three'));
      assert.match(unknown.message, /the config has one, two$/);
    });

    test('the default scope is the whole file: every variable is needed, named in one error', () => {
      const err = configError(() => parseConfigText(twoSourcesAndEvents, registry, {}));
      assert.match(err.message, /environment variables ONE_KEY, TWO_KEY, OUT_TOKEN, WRITE_KEY are not set/);
    });
  });
});
