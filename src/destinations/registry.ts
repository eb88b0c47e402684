/** The destination types a config can name, keyed by `type:`. */
import type { AnyDestination } from './define-destination.ts';
import { gleapDestination } from './gleap/destination.ts';

export type DestinationRegistry = Readonly<Record<string, AnyDestination>>;

export const builtinDestinations: DestinationRegistry = Object.freeze({ gleap: gleapDestination });
