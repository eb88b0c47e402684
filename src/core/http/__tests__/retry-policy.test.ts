import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelay, isRetryableStatus, parseRetryAfter, resolveRetryPolicy } from '../retry-policy.ts';
import { buildQuery, buildUrl, redactUrl } from '../query-string.ts';

describe('retry policy', () => {
  test('retryable statuses: 408, 429 and 5xx except 501 and 505', () => {
    const retryable = [408, 429, 500, 502, 503, 504, 599];
    const final = [200, 400, 401, 403, 404, 409, 422, 501, 505];
    for (const s of retryable) assert.equal(isRetryableStatus(s), true, String(s));
    for (const s of final) assert.equal(isRetryableStatus(s), false, String(s));
  });

  test('Retry-After in seconds or as an HTTP date', () => {
    const now = Date.parse('2025-09-01T00:00:00Z');
    assert.equal(parseRetryAfter('1', now), 1000);
    assert.equal(parseRetryAfter(' 2.5 ', now), 2500);
    assert.equal(parseRetryAfter('Mon, 01 Sep 2025 00:00:30 GMT', now), 30_000);
    assert.equal(parseRetryAfter('Sun, 31 Aug 2025 23:00:00 GMT', now), 0);
    assert.equal(parseRetryAfter('soon', now), undefined);
    assert.equal(parseRetryAfter(null, now), undefined);
  });

  test('full jitter stays within the doubling ceiling and the maximum', () => {
    const hi = resolveRetryPolicy({ baseDelayMs: 100, maxDelayMs: 1000, random: () => 0.999999 });
    assert.deepEqual([1, 2, 3, 4, 5, 10].map((r) => backoffDelay(r, hi)), [99, 199, 399, 799, 999, 999]);
    const lo = resolveRetryPolicy({ random: () => 0 });
    assert.equal(backoffDelay(3, lo), 0);
    assert.throws(() => resolveRetryPolicy({ maxAttempts: 0 }), /maxAttempts/);
  });
});

describe('query strings', () => {
  test('pairs keep order and repeats; objects expand arrays; dates are ISO with Z', () => {
    assert.equal(buildQuery([['a', 1], ['a', 2], ['b', true]]), 'a=1&a=2&b=true');
    assert.equal(buildQuery({ type: ['BUG', 'QUESTION'], x: undefined, y: null }), 'type=BUG&type=QUESTION');
    assert.equal(buildQuery([['createdAt<', new Date('2025-01-02T03:04:05.678Z')]]), 'createdAt%3C=2025-01-02T03%3A04%3A05.678Z');
    assert.equal(buildQuery([['from', '2025-01-01T00:00:00+02:00']]), 'from=2025-01-01T00%3A00%3A00%2B02%3A00');
  });

  test('urls join a base path prefix and keep absolute paths', () => {
    assert.equal(buildUrl('https://api.gleap.io/v3/', '/tickets', [['limit', 1]]), 'https://api.gleap.io/v3/tickets?limit=1');
    assert.equal(buildUrl('https://x.test/v1', 'https://files.test/a?sig=1', [['b', 2]]), 'https://files.test/a?sig=1&b=2');
  });

  test('secret-looking query values are masked in printed URLs', () => {
    assert.equal(
      redactUrl('https://x.test/a?api_key=abc&limit=5&accessToken=zzz&updatedAt%3E%3D=1'),
      'https://x.test/a?api_key=***&limit=5&accessToken=***&updatedAt%3E%3D=1',
    );
  });
});
