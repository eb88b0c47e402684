/** The Gladly config block: where credentials may go, and messages that say what to type. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { gladlyApiUrl, gladlyBaseUrl, gladlyBaseUrlSettings, gladlyConfigSchema } from '../gladly-config.ts';

const base = { email: 'agent@myorg.com', apiToken: 'tok-1234' };
const issue = (input: Record<string, unknown>) => {
  const r = gladlyConfigSchema.safeParse({ ...base, ...input });
  assert.ok(!r.success, `expected ${JSON.stringify(input)} to be refused`);
  return { path: r.error.issues[0]!.path.join('.'), message: r.error.issues[0]!.message };
};

describe('gladly config', () => {
  test('the host is built from the subdomain on gladly.com / gladly.qa, with an optional region shard', () => {
    const parse = (x: Record<string, unknown>) => gladlyConfigSchema.parse({ ...base, ...x });
    assert.equal(gladlyBaseUrl(parse({ organization: 'MyOrg' })), 'https://myorg.gladly.com/api/v1');
    assert.equal(gladlyBaseUrl(parse({ organization: 'myorg', region: 'us-1' })), 'https://myorg.us-1.gladly.com/api/v1');
    assert.equal(gladlyBaseUrl(parse({ organization: 'myorg', sandbox: true })), 'https://myorg.gladly.qa/api/v1');
    const overridden = parse({ organization: 'myorg', baseUrl: 'http://127.0.0.1:4020/api/v1/' });
    assert.equal(gladlyBaseUrl(overridden), 'http://127.0.0.1:4020/api/v1');
    assert.equal(gladlyApiUrl(overridden), 'https://myorg.gladly.com/api/v1');
  });

  test('errors about the server name the settings the host came from: organization (region, sandbox), or baseUrl', () => {
    const parse = (x: Record<string, unknown>) => gladlyConfigSchema.parse({ ...base, ...x });
    assert.deepEqual(gladlyBaseUrlSettings(parse({ organization: 'myorg' })), ['organization'], 'the subdomain alone');
    assert.deepEqual(gladlyBaseUrlSettings(parse({ organization: 'myorg', region: 'us-1', sandbox: true })), ['organization', 'region', 'sandbox'], 'with region and sandbox');
    assert.deepEqual(gladlyBaseUrlSettings(parse({ organization: 'myorg', baseUrl: 'http://127.0.0.1:4020/api/v1' })), ['baseUrl'], 'the override wins');
  });

  test('anything that could point the host elsewhere is refused, with the value to enter instead', () => {
    assert.match(issue({ organization: 'myorg.gladly.com' }).message, /enter "myorg"/);
    assert.match(issue({ organization: 'https://myorg.us-1.gladly.com/' }).message, /enter "myorg" and set region: us-1/);
    assert.match(issue({ organization: 'evil.example.com/x' }).message, /organization subdomain/);
    assert.match(issue({ organization: 'a@b' }).message, /organization subdomain/);
    assert.equal(issue({ organization: 'myorg', region: 'us-1.evil.com' }).path, 'region');
    assert.equal(issue({ organization: 'myorg', baseUrl: 'ftp://x' }).path, 'baseUrl');
  });

  test('email and token are required with hints; the rate stays within Gladly\'s 10/s unless overridden', () => {
    assert.match(issue({ organization: 'myorg', email: 'agent' }).message, /API User permission/);
    assert.match(issue({ organization: 'myorg', apiToken: '' }).message, /Settings > API Tokens/);
    const rate = issue({ organization: 'myorg', requestsPerSecond: 50 });
    assert.equal(rate.path, 'requestsPerSecond');
    assert.match(rate.message, /expected 1 to 10/);
    assert.equal(gladlyConfigSchema.parse({ ...base, organization: 'myorg', baseUrl: 'http://127.0.0.1:1/api/v1', requestsPerSecond: 50 }).requestsPerSecond, 50);
    assert.equal(gladlyConfigSchema.parse({ ...base, organization: 'myorg' }).requestsPerSecond, 10);
  });
});
