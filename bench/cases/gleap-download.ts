/**
 * The practical limit for a Gleap sync: a plain HTTP loop that downloads the same pages the
 * source requests (same filters, sort, page size) and reads each body, doing nothing else.
 * Argument: `{ url, streams }` with the v3 paths of the streams. Prints one JSON line.
 */
const { url, paths } = JSON.parse(process.argv[2] ?? '{}') as { url: string; paths: string[] };
const headers = { Authorization: 'Bearer test-api-key', Project: 'test-project' };
const PAGE = 1000;
const started = performance.now();
let requests = 0;
let bytes = 0;
for (const path of paths) {
  for (let skip = 0; ; skip += PAGE) {
    const q = `${encodeURIComponent('updatedAt>=')}=${encodeURIComponent('2000-01-01T00:00:00.000Z')}&sort=updatedAt&limit=${PAGE}&skip=${skip}`;
    const res = await fetch(`${url}/v3${path}?${q}`, { headers });
    const text = await res.text();
    requests++;
    bytes += text.length;
    // Count records cheaply: a page shorter than PAGE is the last one.
    const records = (text.match(/"_id":/g) ?? []).length;
    if (records < PAGE) break;
  }
}
const seconds = (performance.now() - started) / 1000;
console.log(JSON.stringify({ seconds, requests, megabytes: bytes / 1e6, peakRssMb: process.resourceUsage().maxRSS / 1024 }));
