import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseFaults } from '../faults.ts';
import { parseGladlyFlags } from '../parse-gladly-flags.ts';
import { parseRateLimit } from '../rate-limiter.ts';
import { formatNs, parseRfc3339 } from '../rfc3339.ts';

describe('gladly emulator: option parsers', () => {
  test('--rate-limit N/S (the shared parser)', () => {
    assert.deepEqual(parseRateLimit('10/1'), { requests: 10, perMs: 1000 });
    assert.deepEqual(parseRateLimit('5/500ms'), { requests: 5, perMs: 500 });
    assert.equal(parseRateLimit('off'), null);
    for (const bad of ['10', 'ten/1', '0/1', '']) assert.throws(() => parseRateLimit(bad), /--rate-limit/, bad);
  });

  test('--faults as JSON or key=value pairs', () => {
    assert.deepEqual(parseFaults('{"status500":0.05,"latencyMs":50}'), { status500: 0.05, latencyMs: 50 });
    assert.deepEqual(parseFaults('cutFileMidLine=0.1, malformedLines=0.01'), { cutFileMidLine: 0.1, malformedLines: 0.01 });
    assert.deepEqual(parseFaults(''), {});
    assert.deepEqual(parseFaults('status503=0.1,resetRate=0.1,malformedLines=1'), { status503: 0.1, resetRate: 0.1, malformedLines: 1 });
    assert.throws(() => parseFaults('status504=0.1'), /--faults.status504: unknown fault; valid names: status500, status502/);
    assert.throws(() => parseFaults('status500=1.5'), /between 0 and 1/);
    assert.throws(() => parseFaults('status500=0.6,cutFileMidLine=0.6'), /add up to 1.2/);
    assert.throws(() => parseFaults('{"latencyMs":-1}'), /non-negative/);
    assert.throws(() => parseFaults('{oops'), /not valid JSON/);
    assert.throws(() => parseFaults('status500'), /name=value/);
  });
});

describe('gladly emulator: CLI flags', () => {
  test('parseGladlyFlags turns flag strings into emulator options, naming a bad flag', () => {
    assert.deepEqual(
      parseGladlyFlags({ port: '0', seed: '7', scale: '0.5', rateLimit: 'off', faults: 'cutFileMidLine=0.1', email: 'a@b.c', token: 't', schedule: 'DAILY', bigFileBytes: '1073741824' }),
      { port: 0, seed: 7, scale: 0.5, rateLimit: null, faults: { cutFileMidLine: 0.1 }, email: 'a@b.c', token: 't', schedule: 'daily', bigFileBytes: 1073741824 },
    );
    assert.deepEqual(parseGladlyFlags({}), {});
    assert.deepEqual(parseGladlyFlags({ now: '2026-01-01T00:00:00Z' }), { now: new Date('2026-01-01T00:00:00Z') }, '--now is the emulator time at start');
    assert.throws(() => parseGladlyFlags({ now: '2026-01-01' }), /--now: expected an ISO 8601 instant/);
    assert.throws(() => parseGladlyFlags({ scale: '-1' }), /--scale/);
    assert.throws(() => parseGladlyFlags({ schedule: 'weekly' }), /--schedule: expected hourly or daily/);
    assert.throws(() => parseGladlyFlags({ port: 'x' }), /--port/);
    assert.throws(() => parseGladlyFlags({ rateLimit: 'fast' }), /--rate-limit/);
  });
});

describe('gladly emulator: RFC 3339 at nanosecond precision', () => {
  test('formats like Go RFC3339Nano: trailing zeros dropped', () => {
    const second = parseRfc3339('2019-02-21T07:15:19Z')!;
    assert.equal(formatNs(second), '2019-02-21T07:15:19Z');
    assert.equal(formatNs(second + 72_000_000n), '2019-02-21T07:15:19.072Z');
    assert.equal(formatNs(second + 72_729_330n), '2019-02-21T07:15:19.07272933Z');
    assert.equal(formatNs(second + 1n), '2019-02-21T07:15:19.000000001Z');
  });

  test('parses fractions of any length and offsets; rejects what is not RFC 3339', () => {
    const base = BigInt(Date.UTC(2024, 8, 15)) * 1_000_000n;
    assert.equal(parseRfc3339('2024-09-15T00:00:00.000Z'), base);
    assert.equal(parseRfc3339('2024-09-15T02:00:00+02:00'), base);
    assert.equal(parseRfc3339('2024-09-14T19:30:00.5-04:30'), base + 500_000_000n);
    assert.equal(parseRfc3339('2024-09-15T00:00:00.123456789Z'), base + 123_456_789n);
    assert.ok(parseRfc3339('2019-02-21T07:15:19.07272933Z')! > parseRfc3339('2019-02-21T07:15:19.072Z')!, 'instant order');
    for (const bad of ['2024-09-15', '2024-09-15 00:00:00Z', '2024-02-30T00:00:00Z', '2024-09-15T24:00:00Z', '2024-09-15T00:00:00.1234567890Z', '2024-09-15T00:00:00']) {
      assert.equal(parseRfc3339(bad), null, bad);
    }
  });
});
