import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { z } from 'zod';
import { ConfigError } from '../../core/errors.ts';
import { redact } from '../../core/redact.ts';
import { defineSource } from '../../sources/source.ts';
import { parseConfigText, selectSources, type SourceRegistry } from '../load-config.ts';

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
  discover: () => [],
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
    const err = configError(() => parseConfigText('sources: [\n  - a: b', registry, {}));
    assert.match(err.message, /not valid YAML at line/);
  });

  test('selectSources rejects an unknown --source by listing the names', () => {
    const loaded = parseConfigText(base(), registry, { KEY: 'k' });
    const err = configError(() => selectSources(loaded, 'two'));
    assert.equal(err.key, '--source');
    assert.match(err.message, /no source named "two"; the config has one$/, 'no hint when no name is close');
    const typo = configError(() => selectSources(loaded, 'onne'));
    assert.match(typo.message, /no source named "onne"; did you mean one\? the config has one/);
  });
});
