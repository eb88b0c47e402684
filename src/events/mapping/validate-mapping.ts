/**
 * Checks a mapping value at load without keeping the compiled form: throws a MappingError
 * naming each problem and where it sits (`fields.userId: unknown directive "@pth"; ...`).
 * `at` is the config path of the value, so messages point into the user's file.
 */
import { compileMappingValue } from './compile-mapping.ts';

export function validateMapping(value: unknown, at: string): void {
  compileMappingValue(value, at);
}
