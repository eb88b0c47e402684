#!/usr/bin/env node
// supportsync runs straight from its TypeScript sources: tsx compiles on load, so there is
// no build step to forget and stack traces point at the .ts files.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
