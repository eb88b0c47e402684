import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { configSchema } from '../../config/config-schema.ts';
import { ConfigError } from '../../core/errors.ts';
import { redact } from '../../core/redact.ts';
import { resolveDestinations } from '../resolve-destinations.ts';

function resolve(destination: Record<string, unknown>) {
  const config = configSchema.parse({
    destinations: [{ name: 'gleap-events', type: 'gleap', config: { apiToken: 'tok-resolve-secret' }, ...destination }],
  });
  return resolveDestinations(config);
}

function configError(destination: Record<string, unknown>): ConfigError {
  try {
    resolve(destination);
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${err}`);
    return err;
  }
  assert.fail('expected a ConfigError');
}

describe('resolveDestinations', () => {
  test('no mappings: the two default subscriptions with their default triggers', () => {
    const [d] = resolve({});
    assert.deepEqual(
      d!.subscriptions.map((s) => [s.id, s.trigger.source, s.batch]),
      [
        ['gleap-events/trackEvent', 'type = "track" or type = "page" or type = "screen"', { enabled: true, size: 500, lingerMs: 1000 }],
        ['gleap-events/identifyContact', 'type = "identify"', { enabled: false, size: 1, lingerMs: 0 }],
      ],
    );
    assert.equal(d!.delivery.maxRetryAge, 4 * 3_600_000);
  });

  test('the API token is registered as a secret', () => {
    resolve({});
    assert.equal(redact('token tok-resolve-secret here'), 'token *** here');
  });

  test('a trigger syntax error names the mapping key and points at the column', () => {
    const err = configError({ mappings: [{ action: 'trackEvent' }, { action: 'trackEvent', trigger: 'type = ' }] });
    assert.equal(err.key, 'destinations[0].mappings[1].trigger');
    assert.match(err.message, /at column 8\n {2}type = \n {9}\^/);
  });

  test('an invalid field mapping is rejected at load with its path', () => {
    const err = configError({ mappings: [{ action: 'trackEvent', fields: { userId: { '@pth': '$.userId' } } }] });
    assert.equal(err.key, 'destinations[0].mappings[0].fields.userId');
    assert.match(err.message, /unknown directive "@pth".*did you mean @path/);
  });

  test('an unknown field, action, option or type lists what is valid', () => {
    assert.match(configError({ mappings: [{ action: 'trackEvent', fields: { eventNme: 'x' } }] }).message, /eventNme: is not a field of Track Event; expected one of .*\(did you mean eventName\?\)/);
    assert.match(configError({ mappings: [{ action: 'sendEmail' }] }).message, /mappings\[0\]\.action: unknown action "sendEmail" for a gleap destination; expected one of trackEvent, identifyContact/);
    assert.match(configError({ mappings: [{ action: 'identifyContact', maxMetadataKeys: 3 }] }).message, /mappings\[0\]\.maxMetadataKeys: not a setting of identifyContact mappings/);
    assert.match(configError({ type: 'hubspot' }).message, /destinations\[0\]\.type: unknown destination type "hubspot"; expected one of gleap/);
  });

  test('more than 50 mappings is a config error', () => {
    const mappings = Array.from({ length: 51 }, (_, i) => ({ name: `m${i}`, action: 'trackEvent' }));
    assert.doesNotThrow(() => resolve({ mappings: mappings.slice(0, 50) }));
    const err = configError({ mappings });
    assert.equal(err.key, 'destinations[0].mappings');
    assert.match(err.message, /51 mappings; a destination allows at most 50/);
  });

  test('the config block and settings are validated by the destination', () => {
    const noToken = configError({ config: {} });
    assert.equal(noToken.key, 'destinations[0].config.apiToken');
    assert.match(noToken.message, /secret API token/);
    assert.equal(configError({ settings: { maxRetryAge: 'forever' } }).key, 'destinations[0].settings.maxRetryAge');
    assert.equal(configError({ mappings: [{ action: 'trackEvent', batchSize: 5000 }] }).key, 'destinations[0].mappings[0].batchSize');
  });

  test('mapping names: defaults from the action, unique, and disabled mappings are left out', () => {
    const [d] = resolve({ mappings: [{ action: 'trackEvent' }, { action: 'trackEvent' }, { action: 'identifyContact', enabled: false }] });
    assert.deepEqual(d!.subscriptions.map((s) => s.mapping), ['trackEvent', 'trackEvent-2']);
    assert.match(configError({ mappings: [{ name: 'a', action: 'trackEvent' }, { name: 'a', action: 'identifyContact' }] }).message, /"a" is used by two mappings/);
  });

  test('an and/or mix without parentheses loads with a warning naming the key', () => {
    const [d] = resolve({ mappings: [{ action: 'trackEvent', trigger: 'type = "track" and event = "A" or event = "B"' }] });
    assert.equal(d!.warnings.length, 1);
    assert.match(d!.warnings[0]!, /^destinations\[0\]\.mappings\[0\]\.trigger: 'and' and 'or' are mixed/);
  });
});
