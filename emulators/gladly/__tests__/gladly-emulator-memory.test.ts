import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startGladlyEmulator } from '../start-gladly-emulator.ts';
import { api, hook, listJobs } from './gladly-test-client.ts';

const MB = 1024 * 1024;

test('a ~200 MB conversation_items file streams with flat server memory and matches the counts', async () => {
  const emu = await startGladlyEmulator({ seed: 9, scale: 0.2, rateLimit: false, bigFileBytes: 200 * MB });
  try {
    assert.ok(emu.bigFileJobId, 'bigFileJobId is set');
    const job = (await listJobs(emu)).find((j) => j.id === emu.bigFileJobId)!;
    assert.equal(job.status, 'COMPLETED');
    const startRss = process.memoryUsage().rss;
    let peakRss = startRss;
    const res = await api(emu, `/export/jobs/${job.id}/files/conversation_items.jsonl`);
    assert.equal(res.status, 200);
    let bytes = 0;
    let lines = 0;
    let chunks = 0;
    let tail = '';
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      bytes += chunk.length;
      for (let p = chunk.indexOf(10); p !== -1; p = chunk.indexOf(10, p + 1)) lines++;
      if (++chunks % 64 === 0) peakRss = Math.max(peakRss, process.memoryUsage().rss);
      tail = Buffer.from(chunk.subarray(Math.max(0, chunk.length - 2000))).toString();
    }
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    assert.ok(bytes > 180 * MB && bytes < 230 * MB, `${(bytes / MB).toFixed(0)} MB streamed`);
    // Building the file in memory would cost 400 MB or more (string + buffer).
    assert.ok(peakRss - startRss < 150 * MB, `rss grew by ${((peakRss - startRss) / MB).toFixed(0)} MB`);
    const lastLine = tail.trimEnd().split('\n').pop()!;
    assert.equal(typeof (JSON.parse(lastLine) as { id: string }).id, 'string');
    // Counts include this job's items without anyone having read them.
    const { body } = await hook<{ conversation_items: number }>(emu, 'counts');
    assert.ok(body.conversation_items >= lines, `${body.conversation_items} counted, ${lines} in the big file`);
  } finally {
    await emu.close();
  }
});

test('close() ends a download in flight and frees the port', async () => {
  const emu = await startGladlyEmulator({ seed: 9, scale: 0.2, rateLimit: false, bigFileBytes: 50 * MB });
  const res = await api(emu, `/export/jobs/${emu.bigFileJobId}/files/conversation_items.jsonl`);
  const reader = res.body!.getReader();
  assert.ok((await reader.read()).value!.length > 0, 'the download started');
  await emu.close();
  await assert.rejects(async () => {
    for (;;) if ((await reader.read()).done) break;
  }, 'the cut download fails instead of ending quietly');
  await assert.rejects(fetch(`${emu.url}/__emulator/stats`), 'the server no longer listens');
});
