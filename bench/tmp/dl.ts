import { benchEmulatorOptions, downloadBigFile, startEmulatorProcess } from '../cases/gladly-bench-kit.ts';
const e = await startEmulatorProcess(benchEmulatorOptions(2 ** 30));
await downloadBigFile(e, '/tmp/gl/items.jsonl'); await e.stop();
