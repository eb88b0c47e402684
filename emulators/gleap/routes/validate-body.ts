/**
 * Request-body validation in the way Gleap's framework (tsoa) reports it: 400 with
 * `{ message: "Validation failed", details: { "requestBody.<field>": { message } } }`,
 * excess properties included (the DTOs declare `additionalProperties: false`).
 */
import type { Reply } from '../../shared/reply.ts';

export type FieldType = 'string' | 'boolean' | 'number' | 'array' | 'object' | 'string[]' | 'any';
export type BodyRules = Record<string, { type: FieldType; required?: boolean }>;

export function validateBody(body: unknown, rules: BodyRules): Reply | null {
  const details: Record<string, { message: string }> = {};
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return { status: 400, body: { message: 'Validation failed', details: { requestBody: { message: 'expected a JSON object' } } } };
  }
  const obj = body as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    if (!(key in rules)) details[`requestBody.${key}`] = { message: `"${key}" is an excess property and therefore is not allowed` };
  }
  for (const [key, rule] of Object.entries(rules)) {
    const value = obj[key];
    if (value === undefined) {
      if (rule.required) details[`requestBody.${key}`] = { message: `'${key}' is required` };
      continue;
    }
    if (!fits(value, rule.type)) details[`requestBody.${key}`] = { message: `invalid ${rule.type} value` };
  }
  return Object.keys(details).length ? { status: 400, body: { message: 'Validation failed', details } } : null;
}

function fits(value: unknown, type: FieldType): boolean {
  switch (type) {
    case 'any': return true;
    case 'array': return Array.isArray(value);
    case 'string[]': return Array.isArray(value) && value.every((v) => typeof v === 'string');
    case 'object': return value === null || (typeof value === 'object' && !Array.isArray(value));
    case 'number': return typeof value === 'number' && Number.isFinite(value);
    default: return typeof value === type || value === null;
  }
}
