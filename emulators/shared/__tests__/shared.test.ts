import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../../src/core/errors.ts';
import { createFaultInjector, faultVocabulary, parseFaultSpec } from '../faults.ts';
import { startHttpServer } from '../http-server.ts';
import { parseEmulatorFlags } from '../parse-emulator-flags.ts';
import { parseRateLimit } from '../parse-rate-limit.ts';
import { createPrng, hashSeed, rowPrng } from '../prng.ts';
import { createRateLimiter } from '../rate-limiter.ts';
import { createRouter } from '../router.ts';
import { runUntilSignal } from '../run-until-signal.ts';

describe('prng', () => {
  test('the same seed gives the same sequence, another seed another one', () => {
    const draw = (seed: number) => Array.from({ length: 20 }, (() => { const r = createPrng(seed); return () => r.next(); })());
    assert.deepEqual(draw(7), draw(7));
    assert.notDeepEqual(draw(7), draw(8));
  });

  test('helpers stay in range and hex has the asked length', () => {
    const r = createPrng(1);
    for (let k = 0; k < 2000; k++) {
      const x = r.int(3, 9);
      assert.ok(Number.isInteger(x) && x >= 3 && x <= 9);
      assert.ok(r.next() < 1);
    }
    for (const n of [1, 7, 8, 24, 64]) assert.match(r.hex(n), new RegExp(`^[0-9a-f]{${n}}$`));
    assert.equal(new Set(Array.from({ length: 1000 }, () => r.weighted([0, 1, 0]))).size, 1);
  });

  test('hashSeed separates its parts and rowPrng is independent per row', () => {
    assert.notEqual(hashSeed('ab', 'c'), hashSeed('a', 'bc'));
    assert.equal(hashSeed(1, 'x'), hashSeed(1, 'x'));
    assert.equal(rowPrng(5, 10).next(), rowPrng(5, 10).next());
    assert.notEqual(rowPrng(5, 10).next(), rowPrng(5, 11).next());
  });
});

describe('rate limiter', () => {
  test('is a sliding window: refusals do not consume budget, slots free up one by one', () => {
    const limiter = createRateLimiter({ requests: 3, perMs: 1000 });
    assert.deepEqual([0, 100, 200].map((t) => limiter.tryTake('p', t)), [true, true, true]);
    assert.equal(limiter.tryTake('p', 500), false);
    assert.equal(limiter.waitMs('p', 500), 500);
    assert.equal(limiter.tryTake('p', 999), false);
    assert.equal(limiter.tryTake('p', 1000), true); // the request at 0 has left the window
    assert.equal(limiter.tryTake('p', 1050), false);
    assert.equal(limiter.tryTake('p', 1100), true);
    assert.equal(limiter.tryTake('other', 1100), true, 'budgets are per key');
  });

  test('rejects nonsense limits', () => {
    assert.throws(() => createRateLimiter({ requests: 0, perMs: 1000 }), RangeError);
  });
});

describe('parseRateLimit', () => {
  test('reads N/PERIOD with units and off', () => {
    assert.deepEqual(parseRateLimit('1000/60s'), { requests: 1000, perMs: 60_000 });
    assert.deepEqual(parseRateLimit('100/6s'), { requests: 100, perMs: 6000 });
    assert.deepEqual(parseRateLimit('10/1'), { requests: 10, perMs: 1000 });
    assert.deepEqual(parseRateLimit('600/1m'), { requests: 600, perMs: 60_000 });
    assert.deepEqual(parseRateLimit('5/250ms'), { requests: 5, perMs: 250 });
    assert.equal(parseRateLimit('off'), null);
  });

  test('names the flag on bad input', () => {
    for (const bad of ['1000', 'x/60s', '10/0s', '-1/5s', '10/5d']) {
      assert.throws(() => parseRateLimit(bad), (err: unknown) => err instanceof ConfigError && err.key === '--rate-limit');
    }
  });
});

describe('faults', () => {
  test('parses JSON and name=value forms identically', () => {
    const json = parseFaultSpec('{"status500":0.05,"status429":0.02,"latencyMs":50,"truncateBody":0.01}');
    const pairs = parseFaultSpec('status500=0.05, status429=0.02,latencyMs=50,truncateBody=0.01');
    assert.deepEqual(json, { status500: 0.05, status429: 0.02, latencyMs: 50, truncateBody: 0.01 });
    assert.deepEqual(pairs, json);
    assert.deepEqual(parseFaultSpec(''), {});
  });

  test('rejects unknown names, bad probabilities and sums above 1, naming the key', () => {
    const key = (fn: () => unknown) => {
      try {
        fn();
      } catch (err) {
        assert.ok(err instanceof ConfigError);
        return err.key;
      }
      assert.fail('expected a ConfigError');
    };
    assert.equal(key(() => parseFaultSpec('{"status404":0.1}')), '--faults.status404');
    assert.equal(key(() => parseFaultSpec('status500=2')), '--faults.status500');
    assert.equal(key(() => parseFaultSpec('latencyMs=-5')), '--faults.latencyMs');
    assert.equal(key(() => parseFaultSpec('status500=0.7,status503=0.6')), '--faults');
    assert.equal(key(() => parseFaultSpec('{not json')), '--faults');
  });

  test('a vendor vocabulary adds request faults (in the sum) and per-item rates (not in it); the shared one refuses them', () => {
    const vendor = faultVocabulary<Record<string, number>>({ requestFaults: ['missingFile'], rates: ['blankLines'] });
    assert.deepEqual(vendor.parse('status500=0.5,missingFile=0.5,blankLines=0.9'), { status500: 0.5, missingFile: 0.5, blankLines: 0.9 });
    assert.throws(() => vendor.parse('status500=0.6,missingFile=0.6'), (err: unknown) => err instanceof ConfigError && /add up to 1.2/.test(err.message));
    assert.throws(() => vendor.parse('blankLines=1.5'), (err: unknown) => err instanceof ConfigError && err.key === '--faults.blankLines');
    assert.throws(() => vendor.parse('x=1'), (err: unknown) => err instanceof ConfigError && /valid names: status500, .*missingFile, blankLines, latencyMs$/.test(err.message));
    assert.throws(() => parseFaultSpec('missingFile=0.1'), (err: unknown) => err instanceof ConfigError && err.key === '--faults.missingFile');
  });

  test('draws faults in proportion, reproducibly from the seed', () => {
    const run = () => {
      const f = createFaultInjector({ status500: 0.25, resetRate: 0.25 }, 99);
      return Array.from({ length: 4000 }, () => f.decide().fault);
    };
    const a = run();
    assert.deepEqual(a, run());
    const n500 = a.filter((x) => x === 'status500').length;
    const reset = a.filter((x) => x === 'reset').length;
    assert.ok(n500 > 800 && n500 < 1200, `status500 drawn ${n500} times of 4000`);
    assert.ok(reset > 800 && reset < 1200, `reset drawn ${reset} times of 4000`);
    const none = createFaultInjector({ latencyMs: 30 }, 1).decide();
    assert.deepEqual(none, { latencyMs: 30, fault: null });
  });
});

describe('router', () => {
  const router = createRouter<string>()
    .add('GET', '/v3/sessions/:id', 'get')
    .add('GET', '/v3/sessions/search', 'search')
    .add('PUT', '/v3/sessions/:id', 'put');

  test('static segments win over parameters whatever the order', () => {
    const m = router.match('GET', '/v3/sessions/search');
    assert.equal(m.kind === 'found' && m.handler, 'search');
  });

  test('decodes parameters and names the route by its pattern', () => {
    const m = router.match('GET', '/v3/sessions/a%40b');
    assert.ok(m.kind === 'found');
    assert.deepEqual(m.params, { id: 'a@b' });
    assert.equal(m.route, 'GET /v3/sessions/:id');
  });

  test('tells a wrong method from an unknown path and a malformed one', () => {
    assert.deepEqual(router.match('DELETE', '/v3/sessions/1'), { kind: 'method-not-allowed', allowed: ['GET', 'PUT'] });
    assert.equal(router.match('GET', '/v3/nothing').kind, 'not-found');
    assert.equal(router.match('GET', '/v3/sessions/%E0%A4%A').kind, 'bad-path');
  });
});

describe('parseEmulatorFlags', () => {
  test('types the shared flags and rejects bad ones by name', () => {
    assert.deepEqual(parseEmulatorFlags({ port: '0', seed: '42', scale: '500', rateLimit: '100/6s', faults: 'status503=0.1' }), {
      port: 0, seed: 42, scale: 500, rateLimit: { requests: 100, perMs: 6000 }, faults: { status503: 0.1 },
    });
    assert.deepEqual(parseEmulatorFlags({ rateLimit: 'off' }), { rateLimit: null });
    assert.throws(() => parseEmulatorFlags({ scale: 'lots' }), (e: unknown) => e instanceof ConfigError && e.key === '--scale');
    assert.throws(() => parseEmulatorFlags({ port: '70000' }), (e: unknown) => e instanceof ConfigError && e.key === '--port');
  });

  test('--now takes an ISO 8601 instant with Z or an offset, and nothing vaguer', () => {
    assert.deepEqual(parseEmulatorFlags({ now: '2026-01-01T00:00:00Z' }), { now: new Date('2026-01-01T00:00:00.000Z') }, 'Z');
    assert.equal(parseEmulatorFlags({ now: '2025-12-31T19:00-05:00' }).now?.toISOString(), '2026-01-01T00:00:00.000Z', 'offset, no seconds');
    assert.equal(parseEmulatorFlags({ now: '2026-01-01T00:00:00.1234Z' }).now?.toISOString(), '2026-01-01T00:00:00.123Z', 'fraction');
    for (const bad of ['2026-01-01', '2026-01-01T00:00:00', 'yesterday', '2026-02-30T00:00:00Z', '2026-01-01T24:00:00Z', '2026-01-01T00:00:00+25:00', '']) {
      assert.throws(
        () => parseEmulatorFlags({ now: bad }),
        (e: unknown) => e instanceof ConfigError && e.key === '--now' && /expected an ISO 8601 instant such as 2026-01-01T00:00:00Z/.test(e.message),
        `rejects ${JSON.stringify(bad)}`,
      );
    }
  });
});

describe('startHttpServer and runUntilSignal', () => {
  test('prints the listening line, serves until the signal, then closes keep-alive connections', async () => {
    const server = await startHttpServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('hi');
    });
    const lines: string[] = [];
    const done = runUntilSignal(server, { write: (l) => lines.push(l), signals: ['SIGUSR2'] });
    assert.deepEqual(lines, [`listening on ${server.url}`]);
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(await (await fetch(server.url)).text(), 'hi'); // leaves a keep-alive socket open
    process.kill(process.pid, 'SIGUSR2');
    assert.equal(await done, 'SIGUSR2');
    await assert.rejects(fetch(server.url));
  });
});
