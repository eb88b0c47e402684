/**
 * Fault injection, shared by `--faults SPEC`, `POST /__emulator/faults` and the `faults`
 * option. The vocabulary, its parser and its rules are emulators/shared/faults.ts's (one
 * SPEC works for both emulators): at most one request-level fault hits a request, so their
 * probabilities sum to at most 1, drawn from a seeded generator. Gladly adds file faults: a download
 * cut inside a line, a listed file answering 404, and per-line rates of garbage and blank
 * lines. Test hooks are never faulted.
 */
import { faultVocabulary, type FaultSpec as SharedFaultSpec } from '../shared/faults.ts';
import type { Rng } from './prng.ts';
import { createRng, hash } from './prng.ts';

export interface FaultSpec extends SharedFaultSpec {
  /** A file download stops in the middle of a line: a connection cut. */
  cutFileMidLine?: number;
  /** A file listed in the job answers 404. */
  missingFile?: number;
  /** Per line: rate of unparseable lines inserted into files. */
  malformedLines?: number;
  /** Per line: rate of blank lines inserted into files. */
  blankLines?: number;
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

const vocabulary = faultVocabulary<FaultSpec>({ requestFaults: ['cutFileMidLine', 'missingFile'], rates: ['malformedLines', 'blankLines'] });

export const FAULT_KEYS: readonly string[] = vocabulary.keys;
/** Checks a spec object (a hook's body, the `faults` option); errors name the bad key and list the valid ones. */
export const validateFaults = vocabulary.validate;
/** Parses `--faults`: JSON (`{"status500":0.05}`) or `status500=0.05,latencyMs=50`. */
export const parseFaults = (text: string, flag = '--faults'): FaultSpec => vocabulary.parse(text, flag);

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
