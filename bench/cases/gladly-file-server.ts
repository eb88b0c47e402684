/**
 * A plain static server in the shape of Gladly's export API for one job and one file on
 * disk, as a process of its own: it serves bytes as fast as the disk allows, so a case
 * measures the reader rather than the emulator's data generator. Args: file, updatedAt.
 * Prints `listening on <apiBase>` and runs until SIGTERM.
 */
import { createReadStream } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const [file, updatedAt] = process.argv.slice(2);
const job = { id: 'BIGJOB', scheduleId: 'S', status: 'COMPLETED', updatedAt, parameters: { type: 'CONVERSATIONS' }, files: ['conversation_items.jsonl'] };
const server = createServer((req, res) => {
  if (req.url?.startsWith('/api/v1/export/jobs/BIGJOB/files/conversation_items.jsonl')) {
    res.writeHead(200, { 'content-type': 'application/x-ndjson' });
    createReadStream(file!, { highWaterMark: 256 * 1024 }).pipe(res);
  } else if (req.url?.startsWith('/api/v1/export/jobs')) {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify([job]));
  } else {
    res.writeHead(404).end();
  }
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1 BIGJOB\n`);
});
process.once('SIGTERM', () => server.close());
