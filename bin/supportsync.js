#!/usr/bin/env node
// supportsync runs straight from its TypeScript sources: tsx compiles on load, so there is
// no build step to forget and stack traces point at the .ts files.
import { register } from 'tsx/esm/api';

// A reader that stops early (`supportsync discover | head`) closes the pipe: stop quietly,
// as Unix tools do, instead of crashing on the next write with an EPIPE stack trace.
process.stdout.on('error', (err) => {
  if (err.code !== 'EPIPE') throw err;
  process.exit(Number(process.exitCode ?? 0));
});

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
