import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import readline from 'node:readline';
import { AuthError, HttpError, SupportSyncError } from '../../errors.ts';
import { createLogger } from '../../logger.ts';
import { registerSecret } from '../../redact.ts';
import { createHttpClient } from '../http-client.ts';
import { QUICK_RETRY_POLICY } from '../retry-policy.ts';
import type { HttpClientOptions } from '../http-client.ts';
import { sendJson, startTestServer } from './test-server.ts';
import type { TestServer } from './test-server.ts';

const fast = { baseDelayMs: 5, maxDelayMs: 20 };

async function withServer(handler: Parameters<typeof startTestServer>[0], fn: (s: TestServer) => Promise<void>): Promise<void> {
  const server = await startTestServer(handler);
  try {
    await fn(server);
  } finally {
    await server.close();
  }
}

const client = (s: TestServer, extra: Partial<HttpClientOptions> = {}) =>
  createHttpClient({ baseUrl: `${s.url}/v3`, retry: fast, timeoutMs: 5000, ...extra });

describe('query encoding', () => {
  test('the operator inside a key is percent-encoded, and the server decodes it back', async () => {
    await withServer(
      (_req, res) => sendJson(res, 200, []),
      async (s) => {
        await client(s).get('/tickets', {
          query: [
            ['updatedAt>=', '2025-09-01T00:00:00.000Z'],
            ['type', 'BUG,FEATURE_REQUEST'],
            ['limit', 10],
            ['skipped', undefined],
            ['note', 'a+b c&d'],
          ],
        });
        const raw = s.arrived[0].url;
        assert.equal(
          raw,
          '/v3/tickets?updatedAt%3E%3D=2025-09-01T00%3A00%3A00.000Z&type=BUG%2CFEATURE_REQUEST&limit=10&note=a%2Bb%20c%26d',
        );
        const params = new URL(raw, s.url).searchParams;
        assert.equal(params.get('updatedAt>='), '2025-09-01T00:00:00.000Z');
        assert.equal(params.get('note'), 'a+b c&d');
      },
    );
  });
});

describe('retries', () => {
  for (const status of [500, 503, 408, 502]) {
    test(`retries HTTP ${status} and succeeds`, async () => {
      let n = 0;
      await withServer(
        (_req, res) => (++n <= 2 ? sendJson(res, status, { error: 'boom' }) : sendJson(res, 200, { ok: n })),
        async (s) => {
          const c = client(s);
          const res = await c.request<{ ok: number }>({ path: '/x', label: 'things' });
          assert.deepEqual(res.body, { ok: 3 });
          assert.equal(res.attempts, 3);
          assert.equal(s.arrived.length, 3);
          assert.equal(c.stats().byLabel.things.retries, 2);
          assert.equal(c.stats().byLabel.things.requests, 3);
        },
      );
    });
  }

  test('retries a connection reset', async () => {
    let n = 0;
    await withServer(
      (req, res) => void (++n === 1 ? req.socket.destroy() : sendJson(res, 200, { ok: true })),
      async (s) => {
        assert.deepEqual(await client(s).get('/x'), { ok: true });
        assert.equal(n, 2);
      },
    );
  });

  test('retries a 200 whose JSON body was cut off', async () => {
    let n = 0;
    await withServer(
      (_req, res) => {
        if (++n === 1) {
          res.writeHead(200, { 'content-type': 'application/json' });
          return void res.end('{"tickets":[{"id":1},{"id"');
        }
        sendJson(res, 200, { tickets: [{ id: 1 }, { id: 2 }] });
      },
      async (s) => {
        assert.deepEqual(await client(s).get('/x'), { tickets: [{ id: 1 }, { id: 2 }] });
        assert.equal(n, 2);
      },
    );
  });

  test('retries a body that stops mid-transfer (socket closed before Content-Length)', async () => {
    let n = 0;
    await withServer(
      (req, res) => {
        if (++n === 1) {
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
          res.write('{"a":');
          return void setTimeout(() => req.socket.destroy(), 5);
        }
        sendJson(res, 200, { a: 1 });
      },
      async (s) => {
        assert.deepEqual(await client(s).get('/x'), { a: 1 });
        assert.equal(n, 2);
      },
    );
  });

  for (const status of [400, 404, 501, 422]) {
    test(`does not retry HTTP ${status}`, async () => {
      await withServer(
        (_req, res) => sendJson(res, status, { message: 'nope' }),
        async (s) => {
          const err = await client(s).get('/x').then(() => undefined, (e: unknown) => e);
          assert.ok(err instanceof HttpError, String(err));
          assert.equal(err.status, status);
          assert.equal(err.disposition, 'fatal');
          assert.match(err.message, /nope/);
          assert.equal(s.arrived.length, 1);
        },
      );
    });
  }

  test('gives up after maxAttempts with a retryable error that says how often it tried', async () => {
    await withServer(
      (_req, res) => sendJson(res, 503, { message: 'down' }),
      async (s) => {
        const c = client(s, { retry: { ...fast, maxAttempts: 3 } });
        const err = await c.get('/x', { label: 'l' }).then(() => undefined, (e: unknown) => e);
        assert.ok(err instanceof HttpError, String(err));
        assert.equal(err.code, 'HTTP_SERVER_ERROR');
        assert.equal(err.disposition, 'retry');
        assert.match(err.message, /after 3 attempts/);
        assert.equal(s.arrived.length, 3);
        assert.equal(c.stats().byLabel.l.failures, 1);
      },
    );
  });

  test('honours Retry-After (seconds) before the second attempt', async () => {
    let n = 0;
    await withServer(
      (_req, res) => (++n === 1 ? sendJson(res, 503, {}, { 'retry-after': '1' }) : sendJson(res, 200, { ok: true })),
      async (s) => {
        assert.deepEqual(await client(s).get('/x'), { ok: true });
        assert.equal(s.arrived.length, 2);
        const gap = s.arrived[1].at - s.arrived[0].at;
        assert.ok(gap >= 950, `second attempt came ${gap} ms after the first`);
      },
    );
  });

  test('fails at once when Retry-After asks for longer than maxRetryAfterMs', async () => {
    await withServer(
      (_req, res) => sendJson(res, 429, {}, { 'retry-after': '3600' }),
      async (s) => {
        const err = await client(s, { retry: { ...fast, maxRetryAfterMs: 10_000 } }).get('/x').then(() => undefined, (e: unknown) => e);
        assert.ok(err instanceof HttpError, String(err));
        assert.equal(err.code, 'HTTP_RATE_LIMITED');
        assert.equal(err.retryAfterMs, 3_600_000);
        assert.equal(s.arrived.length, 1);
      },
    );
  });
});

describe('errors', () => {
  test('401 and 403 become AuthError worded by the source hook, without retries', async () => {
    await withServer(
      (req, res) => sendJson(res, req.url?.includes('forbidden') ? 403 : 401, { message: 'denied' }),
      async (s) => {
        const c = client(s, {
          describeAuthError: (status) => (status === 401 ? 'Gleap refused the API key: check apiKey.' : 'Gleap refused the project: check projectId.'),
        });
        const e401 = await c.get('/tickets').then(() => undefined, (e: unknown) => e);
        assert.ok(e401 instanceof AuthError, String(e401));
        assert.equal(e401.status, 401);
        assert.match(e401.message, /check apiKey/);
        const e403 = await c.get('/forbidden').then(() => undefined, (e: unknown) => e);
        assert.ok(e403 instanceof AuthError, String(e403));
        assert.match(e403.message, /check projectId/);
        assert.equal(s.arrived.length, 2);
      },
    );
  });

  test('a server that never answers times out, is retried, and reports HTTP_TIMEOUT', async () => {
    await withServer(
      () => {}, // never responds
      async (s) => {
        const err = await client(s, { timeoutMs: 100, retry: { ...fast, maxAttempts: 2 } }).get('/slow').then(() => undefined, (e: unknown) => e);
        assert.ok(err instanceof HttpError, String(err));
        assert.equal(err.code, 'HTTP_TIMEOUT');
        assert.equal(err.status, 0);
        assert.match(err.message, /no response within 100 ms after 2 attempts/);
        assert.equal(s.arrived.length, 2);
      },
    );
  });

  test('a connection refused is a network error naming the base URL', async () => {
    const s = await startTestServer(() => {});
    const url = s.url;
    await s.close();
    const c = createHttpClient({ baseUrl: url, retry: { ...fast, maxAttempts: 2 } });
    const err = await c.get('/x').then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof HttpError, String(err));
    assert.equal(err.code, 'HTTP_NETWORK');
    assert.ok(err.message.includes(url), 'err.message.includes(url)');
  });

  test('errors about the server name the settings it came from (default `baseUrl`) and list them', async () => {
    const s = await startTestServer(() => {});
    const url = s.url;
    await s.close();
    const once = { ...fast, maxAttempts: 1 };
    const byDefault = await createHttpClient({ baseUrl: url, retry: once }).get('/x').then(() => undefined, (e: unknown) => e);
    assert.ok(byDefault instanceof HttpError, String(byDefault));
    assert.ok(byDefault.message.includes(`Check \`baseUrl\` (server ${url})`), `names baseUrl and the server: ${byDefault.message}`);
    assert.deepEqual(byDefault.settings, ['baseUrl'], 'lists baseUrl');
    const built = createHttpClient({ baseUrl: url, baseUrlSettings: ['organization', 'region'], retry: once });
    const err = await built.get('/x').then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof HttpError, String(err));
    assert.ok(err.message.includes(`Check \`organization\` and \`region\` (server ${url})`), `names the settings the URL was built from: ${err.message}`);
    assert.ok(!err.message.includes('baseUrl'), `no baseUrl when none was set: ${err.message}`);
    assert.deepEqual(err.settings, ['organization', 'region'], 'lists the settings');
  });

  test('a 404 names the base URL settings too; a 401 lists the settings the source hook names', async () => {
    await withServer(
      (req, res) => sendJson(res, req.url?.includes('missing') ? 404 : 401, { message: 'no' }),
      async (s) => {
        const c = client(s, {
          baseUrlSettings: ['organization'],
          describeAuthError: () => ({ message: 'verify `email` and `apiToken`', settings: ['email', 'apiToken'] }),
        });
        const e404 = await c.get('/missing').then(() => undefined, (e: unknown) => e);
        assert.ok(e404 instanceof HttpError, String(e404));
        assert.match(e404.message, /Check `organization` \(server http:\/\/127\.0\.0\.1:\d+\/v3\) and that the requested resource exists/, e404.message);
        assert.deepEqual(e404.settings, ['organization'], 'the 404 lists the base URL setting');
        const e401 = await c.get('/tickets').then(() => undefined, (e: unknown) => e);
        assert.ok(e401 instanceof AuthError, String(e401));
        assert.match(e401.message, /^verify `email` and `apiToken` \(HTTP 401 from GET /, e401.message);
        assert.deepEqual(e401.settings, ['email', 'apiToken'], 'the 401 lists what the hook named');
      },
    );
  });

  test('QUICK_RETRY_POLICY: a refused connection is tried twice, with one retry line in the log', async () => {
    const s = await startTestServer(() => {});
    const url = s.url;
    await s.close();
    const lines: string[] = [];
    let attempts = 0;
    const c = createHttpClient({
      baseUrl: url, retry: QUICK_RETRY_POLICY, log: createLogger({ level: 'warn', write: (l) => lines.push(l) }), onRequest: () => attempts++,
    });
    const err = await c.get('/x').then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof HttpError, String(err));
    assert.equal(err.code, 'HTTP_NETWORK', 'a network error');
    assert.equal(attempts, 2, 'one attempt and one retry');
    assert.match(err.message, /after 2 attempts/, err.message);
    assert.equal(lines.length, 1, `one retry line:\n${lines.join('\n')}`);
    assert.match(lines[0]!, /retry 1 of 1 in \d+ ms/, lines[0]);
  });

  test('the caller aborting stops at once and is not retried', async () => {
    await withServer(
      () => {},
      async (s) => {
        const controller = new AbortController();
        setTimeout(() => controller.abort(new Error('user cancelled')), 50);
        const err = await client(s).get('/x', { signal: controller.signal }).then(() => undefined, (e: unknown) => e);
        assert.equal((err as Error).message, 'user cancelled');
        assert.equal(s.arrived.length, 1);
      },
    );
  });

  test('secrets in headers, query and echoed bodies never reach messages or logs', async () => {
    const apiKey = 'sk_live_7f3a9c1e5b2d4f6a8c0e';
    const basicToken = 'gladly-token-Zx81Qp';
    registerSecret(apiKey);
    const lines: string[] = [];
    let n = 0;
    await withServer(
      (req, res) => {
        n++;
        // The server echoes everything it got, credentials included.
        const echo = { auth: req.headers.authorization, basic: req.headers['x-basic'], url: req.url, key: apiKey };
        sendJson(res, n === 1 ? 500 : 400, echo);
      },
      async (s) => {
        const c = client(s, {
          headers: { Authorization: `Bearer ${apiKey}`, 'Proxy-Authorization': `Basic ${Buffer.from(`me@x.com:${basicToken}`).toString('base64')}` },
          log: createLogger({ level: 'debug', write: (l) => lines.push(l) }),
        });
        const err = await c
          .get('/tickets', { query: [['api_key', 'query-secret-123456'], ['token', apiKey], ['updatedAt>=', '2025-01-01T00:00:00.000Z']] })
          .then(() => undefined, (e: unknown) => e);
        assert.ok(err instanceof HttpError, String(err));
        assert.equal(s.arrived.length, 2);
        const everything = [err.message, err.url, err.body, ...lines].join('\n');
        assert.ok(lines.length > 0, 'lines.length > 0');
        for (const secret of [apiKey, encodeURIComponent(apiKey), 'query-secret-123456', basicToken]) {
          assert.ok(!everything.includes(secret), `leaked ${secret} in:\n${everything}`);
        }
        assert.match(err.message, /updatedAt%3E%3D=2025/); // the useful, non-secret part stays
      },
    );
  });
});

describe('bodies and statistics', () => {
  test('POST sends JSON; onRequest and stats count every attempt per label', async () => {
    let n = 0;
    await withServer(
      (_req, res, arrived) => (++n === 1 ? sendJson(res, 502, {}) : sendJson(res, 200, { got: JSON.parse(arrived.body) })),
      async (s) => {
        const seen: string[] = [];
        const c = client(s, { onRequest: (l) => seen.push(`client:${l}`) });
        const res = await c.request<{ got: unknown }>({
          method: 'POST',
          path: '/admin/track',
          body: { events: [{ name: 'x' }] },
          label: 'track',
          onRequest: (l) => seen.push(`req:${l}`),
        });
        assert.deepEqual(res.body.got, { events: [{ name: 'x' }] });
        assert.equal(s.arrived[1].headers['content-type'], 'application/json');
        assert.deepEqual(seen, ['client:track', 'req:track', 'client:track', 'req:track']);
        const st = c.stats();
        assert.equal(st.byLabel.track.requests, 2);
        assert.equal(st.byLabel.track.retries, 1);
        assert.ok(st.byLabel.track.bytes > 0, 'st.byLabel.track.bytes > 0');
        assert.equal(st.total.requests, 2);
      },
    );
  });

  test("parse: 'stream' hands out the body before the server has finished sending it", async () => {
    let releaseRest!: () => void;
    const rest = new Promise<void>((r) => (releaseRest = r));
    const lines = 20_000;
    await withServer(
      async (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/x-ndjson' });
        res.write(JSON.stringify({ id: 0 }) + '\n');
        await rest; // only continues once the client has read the first line
        for (let i = 1; i < lines; i++) res.write(JSON.stringify({ id: i, pad: 'x'.repeat(100) }) + '\n');
        res.end();
      },
      async (s) => {
        const c = client(s);
        const res = await c.request({ path: '/export/jobs/1/files/customers.jsonl', parse: 'stream', label: 'customers' });
        let count = 0;
        let sum = 0;
        for await (const line of readline.createInterface({ input: res.body, crlfDelay: Infinity })) {
          if (count === 0) releaseRest();
          sum += (JSON.parse(line) as { id: number }).id;
          count++;
        }
        assert.equal(count, lines);
        assert.equal(sum, (lines * (lines - 1)) / 2);
        assert.ok(c.stats().byLabel.customers.bytes > lines * 100, 'c.stats().byLabel.customers.bytes > lines * 100');
      },
    );
  });

  test('a stalled download fails with HTTP_TIMEOUT instead of hanging', async () => {
    await withServer(
      (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/x-ndjson' });
        res.write('{"id":1}\n'); // then nothing, forever
      },
      async (s) => {
        const res = await client(s, { timeoutMs: 150 }).request({ path: '/f', parse: 'stream' });
        const err = await (async () => {
          for await (const _chunk of res.body) {
            // keep reading
          }
        })().then(() => undefined, (e: unknown) => e);
        assert.ok(err instanceof SupportSyncError, String(err));
        assert.equal(err.code, 'HTTP_TIMEOUT');
      },
    );
  });

  test('an invalid baseUrl is rejected up front', () => {
    assert.throws(() => createHttpClient({ baseUrl: 'api.gleap.io/v3' }), /baseUrl must be an http\(s\) URL/);
  });
});
