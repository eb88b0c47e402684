/**
 * The event service as `supportsync serve` runs it: the real binary, an intake on a free port.
 * Announcing where the intake listens is the command's job; the service itself must not
 * say it a second time.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { BIN } from '../../cli/__tests__/run-cli.ts';
import { removeTempDirs, tempDir, WRITE_KEY } from './event-test-kit.ts';

after(() => removeTempDirs());

describe('event service under supportsync serve', () => {
  test('"event intake listening" is logged exactly once', async () => {
    const dir = tempDir();
    const config = join(dir, 'serve.yaml');
    // No destination: nothing to contact, the intake alone (events are counted, not sent).
    writeFileSync(config, ['intake:', '  port: 0', `  writeKeys: [${WRITE_KEY}]`, 'dataDir: ./data'].join('\n'));
    const child = spawn(process.execPath, [BIN, 'serve', '--config', config], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, SUPPORTSYNC_LOG_LEVEL: 'info' } });
    let log = '';
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // serve's own line, which comes after the event service has started, ends the wait.
    const announced = new Promise<boolean>((resolve) => {
      child.stderr.on('data', (d) => {
        log += d;
        if (/event intake listening on \S+ \(Segment HTTP API/.test(log)) resolve(true);
      });
      void exited.then(() => resolve(false));
    });
    try {
      assert.ok(await announced, `serve announces its intake before anything else happens:\n${log}`);
      const lines = log.split('\n').filter((l) => l.includes('event intake listening'));
      assert.equal(lines.length, 1, `one "event intake listening" line, from serve, not one more from the event service:\n${log}`);
    } finally {
      child.kill('SIGTERM');
      assert.equal(await exited, 0, `serve exits 0 on SIGTERM:\n${log}`);
    }
  });
});
