/**
 * Fault injection for the emulators. A spec gives a probability per fault and a fixed
 * latency; each request draws once from a seeded generator, so a given seed and request
 * sequence always produce the same faults. At most one fault hits a request; the
 * probabilities therefore must sum to at most 1. Test hooks are never faulted (the
 * caller simply does not ask).
 *
 * Spec (as `--faults` JSON, `name=value,...`, or POST /__emulator/faults):
 *   status500, status502, status503, status429  probability of that status, JSON error body
 *   timeoutRate   probability the request hangs until the client gives up
 *   resetRate     probability the connection is reset before any response
 *   truncateBody  probability the response declares its full length, sends half, and
 *                 closes the connection (the client sees a body read error)
 *   latencyMs     delay added before every non-hook response
 */
import { ConfigError } from '../../src/core/errors.ts';
import { Prng } from './prng.ts';

export interface FaultSpec {
  status500?: number;
  status502?: number;
  status503?: number;
  status429?: number;
  timeoutRate?: number;
  resetRate?: number;
  truncateBody?: number;
  latencyMs?: number;
}

export type FaultKind = 'status500' | 'status502' | 'status503' | 'status429' | 'timeout' | 'reset' | 'truncate';

/** The probability keys, in the fixed order a draw is mapped onto them. */
const PROBABILITY_KEYS = [
  ['resetRate', 'reset'],
  ['timeoutRate', 'timeout'],
  ['status503', 'status503'],
  ['status502', 'status502'],
  ['status500', 'status500'],
  ['status429', 'status429'],
  ['truncateBody', 'truncate'],
] as const satisfies readonly (readonly [keyof FaultSpec, FaultKind])[];

export interface FaultDecision {
  latencyMs: number;
  fault: FaultKind | null;
}

export interface FaultInjector {
  readonly spec: FaultSpec;
  set(spec: FaultSpec): void;
  decide(): FaultDecision;
}

export function createFaultInjector(spec: FaultSpec, seed: number): FaultInjector {
  const rng = new Prng(seed ^ 0x5f3759df);
  let current: FaultSpec = validateFaultSpec(spec, 'faults');
  return {
    get spec() {
      return current;
    },
    set(next) {
      current = validateFaultSpec(next, 'faults');
    },
    decide() {
      const latencyMs = current.latencyMs ?? 0;
      let any = false;
      for (const [key] of PROBABILITY_KEYS) if (current[key]) any = true;
      if (!any) return { latencyMs, fault: null };
      let r = rng.next();
      for (const [key, kind] of PROBABILITY_KEYS) {
        const p = current[key] ?? 0;
        if (r < p) return { latencyMs, fault: kind };
        r -= p;
      }
      return { latencyMs, fault: null };
    },
  };
}

/** The shared probability names, in the order error messages list them. */
const LISTED_KEYS = ['status500', 'status502', 'status503', 'status429', 'timeoutRate', 'resetRate', 'truncateBody'] as const;
const MAX_LATENCY_MS = 600_000;

/**
 * A `--faults` vocabulary: the shared names plus a vendor's own. `requestFaults` are more
 * per-request probabilities (they share the at-most-1 sum); `rates` are per-item rates (e.g.
 * per line of a file), each between 0 and 1 but not summed. One parser for every emulator,
 * so one SPEC means the same everywhere.
 */
export interface FaultVocabulary<S extends object> {
  /** Every valid name, as error messages list them. */
  readonly keys: readonly string[];
  /**
   * Parses a JSON object (`{"status500":0.05,"latencyMs":50}`), `name=value,...`
   * (`status500=0.05,latencyMs=50`), `none`/`off`, or an already-parsed object.
   * Throws a ConfigError naming the bad key and listing the valid ones.
   */
  parse(input: string | Record<string, unknown>, flag?: string): S;
  /** Checks a parsed object (e.g. a hook's JSON body); same errors as `parse`. */
  validate(input: unknown, flag?: string): S;
}

export function faultVocabulary<S extends object>(extra: { requestFaults?: readonly string[]; rates?: readonly string[] } = {}): FaultVocabulary<S> {
  const rates: readonly string[] = extra.rates ?? [];
  const keys: readonly string[] = [...LISTED_KEYS, ...(extra.requestFaults ?? []), ...rates, 'latencyMs'];

  function validate(input: unknown, flag = '--faults'): S {
    if (input === null || typeof input !== 'object' || Array.isArray(input)) {
      throw new ConfigError(flag, 'must be a JSON object such as {"status500":0.05,"latencyMs":50}');
    }
    const out: Record<string, number> = {};
    let sum = 0;
    for (const [key, raw] of Object.entries(input)) {
      if (!keys.includes(key)) throw new ConfigError(`${flag}.${key}`, `unknown fault; valid names: ${keys.join(', ')}`);
      const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
        throw new ConfigError(`${flag}.${key}`, `must be a non-negative number, got ${JSON.stringify(raw)}`);
      }
      if (key === 'latencyMs') {
        if (value > MAX_LATENCY_MS) throw new ConfigError(`${flag}.${key}`, `must be at most ${MAX_LATENCY_MS}, got ${value}`);
      } else {
        if (value > 1) throw new ConfigError(`${flag}.${key}`, `is a probability between 0 and 1, got ${value}`);
        if (!rates.includes(key)) sum += value;
      }
      out[key] = value;
    }
    if (sum > 1 + 1e-9) {
      throw new ConfigError(flag, `request fault probabilities add up to ${sum}; at most one fault hits a request, so they must sum to at most 1`);
    }
    return out as S;
  }

  function parse(input: string | Record<string, unknown>, flag = '--faults'): S {
    if (typeof input !== 'string') return validate(input, flag);
    const text = input.trim();
    if (text === '' || text === 'none' || text === 'off') return {} as S;
    if (text.startsWith('{')) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (err) {
        throw new ConfigError(flag, `is not valid JSON: ${(err as Error).message}`);
      }
      return validate(parsed, flag);
    }
    const pairs: Record<string, unknown> = {};
    for (const part of text.split(',')) {
      const eq = part.indexOf('=');
      if (eq < 0) throw new ConfigError(flag, `expected name=value pairs such as "status500=0.05,latencyMs=50", got "${part.trim()}"`);
      pairs[part.slice(0, eq).trim()] = part.slice(eq + 1).trim(); // validate() reads the numbers
    }
    return validate(pairs, flag);
  }

  return { keys, parse, validate };
}

const sharedVocabulary = faultVocabulary<FaultSpec>();

/** Parses `--faults` in the shared vocabulary (see FaultVocabulary.parse). */
export function parseFaultSpec(input: string | Record<string, unknown>, flag = '--faults'): FaultSpec {
  return sharedVocabulary.parse(input, flag);
}

function validateFaultSpec(input: object, flag: string): FaultSpec {
  return sharedVocabulary.validate(input, flag);
}
