/**
 * Fault injection, shared by `--faults SPEC`, `POST /__emulator/faults` and the `faults`
 * option. The vocabulary and rules follow emulators/shared/faults.ts (one SPEC works for
 * both emulators): at most one request-level fault hits a request, so their probabilities
 * sum to at most 1, drawn from a seeded generator. Gladly adds file faults: a download
 * cut inside a line, a listed file answering 404, and per-line rates of garbage and blank
 * lines. Test hooks are never faulted.
 */
import { ConfigError } from '../../src/core/errors.ts';
import type { Rng } from './prng.ts';
import { createRng, hash } from './prng.ts';

export interface FaultSpec {
  status500?: number;
  status502?: number;
  status503?: number;
  /** A 429 as if the organization's budget were spent (no Retry-After). */
  status429?: number;
  /** The request hangs, unanswered, until the client gives up. */
  timeoutRate?: number;
  /** The connection is reset before any answer. */
  resetRate?: number;
  /** The body is cut short and the connection dropped (JSON answers and files). */
  truncateBody?: number;
  /** A file download stops in the middle of a line: a connection cut. */
  cutFileMidLine?: number;
  /** A file listed in the job answers 404. */
  missingFile?: number;
  /** Per line: rate of unparseable lines inserted into files. */
  malformedLines?: number;
  /** Per line: rate of blank lines inserted into files. */
  blankLines?: number;
  /** Added before every API answer, in milliseconds. */
  latencyMs?: number;
}

export type RequestFault = 'reset' | 'timeout' | 'status503' | 'status502' | 'status500' | 'status429' | 'truncate' | 'cutFileMidLine' | 'missingFile';

/** Request-level probabilities, in the order a draw is mapped onto them. */
const REQUEST_FAULTS = [
  ['resetRate', 'reset'],
  ['timeoutRate', 'timeout'],
  ['status503', 'status503'],
  ['status502', 'status502'],
  ['status500', 'status500'],
  ['status429', 'status429'],
  ['truncateBody', 'truncate'],
  ['cutFileMidLine', 'cutFileMidLine'],
  ['missingFile', 'missingFile'],
] as const satisfies ReadonlyArray<readonly [keyof FaultSpec, RequestFault]>;
const LINE_RATES = ['malformedLines', 'blankLines'] as const;

export const FAULT_KEYS: readonly (keyof FaultSpec)[] = [
  'status500', 'status502', 'status503', 'status429', 'timeoutRate', 'resetRate', 'truncateBody',
  'cutFileMidLine', 'missingFile', ...LINE_RATES, 'latencyMs',
];

/** Checks a spec object; errors name the bad key and list the valid ones. */
export function validateFaults(value: unknown, flag = '--faults'): FaultSpec {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigError(flag, 'must be an object such as {"status500":0.05,"latencyMs":50}');
  }
  const spec: FaultSpec = {};
  let sum = 0;
  for (const [key, raw] of Object.entries(value)) {
    if (!(FAULT_KEYS as readonly string[]).includes(key)) throw new ConfigError(`${flag}.${key}`, `unknown fault; valid names: ${FAULT_KEYS.join(', ')}`);
    const n = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
    if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) throw new ConfigError(`${flag}.${key}`, `must be a non-negative number, got ${JSON.stringify(raw)}`);
    if (key === 'latencyMs') {
      if (n > 600_000) throw new ConfigError(`${flag}.${key}`, `must be at most 600000, got ${n}`);
    } else {
      if (n > 1) throw new ConfigError(`${flag}.${key}`, `is a probability between 0 and 1, got ${n}`);
      if (!(LINE_RATES as readonly string[]).includes(key)) sum += n;
    }
    spec[key as keyof FaultSpec] = n;
  }
  if (sum > 1 + 1e-9) {
    throw new ConfigError(flag, `request fault probabilities add up to ${sum}; at most one fault hits a request, so they must sum to at most 1`);
  }
  return spec;
}

/** Parses `--faults`: JSON (`{"status500":0.05}`) or `status500=0.05,latencyMs=50`. */
export function parseFaults(text: string, flag = '--faults'): FaultSpec {
  const t = text.trim();
  if (t === '' || t === 'none' || t === 'off') return {};
  if (t.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(t);
    } catch (err) {
      throw new ConfigError(flag, `is not valid JSON: ${(err as Error).message}`);
    }
    return validateFaults(parsed, flag);
  }
  const entries = t.split(',').map((part) => {
    const eq = part.indexOf('=');
    if (eq < 0) throw new ConfigError(flag, `expected name=value pairs such as "status500=0.05,latencyMs=50", got "${part.trim()}"`);
    return [part.slice(0, eq).trim(), part.slice(eq + 1).trim()];
  });
  return validateFaults(Object.fromEntries(entries), flag);
}

/** What the dice decided for one request. */
export interface FaultDraw {
  fault: RequestFault | null;
  /** For per-line faults and cut positions. */
  rng: Rng;
}

export function createFaultDice(seed: number): (spec: FaultSpec) => FaultDraw {
  const rng = createRng(hash(seed, 61));
  return (spec) => {
    // Always two draws per request, so the sequence does not depend on the spec.
    let r = rng.next();
    const lineRng = createRng(rng.uint32());
    for (const [key, fault] of REQUEST_FAULTS) {
      const p = spec[key] ?? 0;
      if (r < p) return { fault, rng: lineRng };
      r -= p;
    }
    return { fault: null, rng: lineRng };
  };
}
